// The daemon's services beside its cycles: the HTTP server (when http.listen is set) and alerting on
// each cycle's outcome (the Alertmanager push). Both are told about every cycle; neither can fail a cycle.
import { cycleEndAlerts, type AlertDeps } from '../alert/alerting.js';
import type { DaemonServices, DaemonView } from '../cycle/cycle-watch.js';

/** Starts the services; the HTTP parts are loaded only when http.listen is set. */
export async function startDaemonServices(view: DaemonView, alertDeps: AlertDeps): Promise<DaemonServices> {
  const listen = view.config().http.listen;
  const http = listen === null ? null : await (await import('./http-service.js')).startHttpService(view, listen);
  const alerts = cycleEndAlerts({ mode: 'daemon', config: () => view.config(), nowMs: () => view.nowMs(), deps: alertDeps, problem: (l) => view.problem(l), info: (l) => view.info(l) });
  return {
    observe(report) {
      http?.observe(report);
      alerts.observe({ outcome: report.result, endedMs: report.endedMs });
    },
    async close() {
      await alerts.idle();
      await http?.close();
    },
  };
}
