// The daemon's services beside its cycles: the HTTP server (when http.listen is set) and alerting on
// each cycle's outcome (the Alertmanager push). Both are told about every cycle; neither can fail a cycle.
import { configuredProviders, cycleEndAlerts, type AlertDeps } from '../alert/alerting.js';
import type { GuardConfig } from '../config/config.js';
import type { DaemonServices, DaemonView } from '../cycle/cycle-watch.js';

/** Starts the services; the HTTP parts are loaded only when http.listen is set. */
export async function startDaemonServices(view: DaemonView, alertDeps: AlertDeps): Promise<DaemonServices> {
  const listen = view.config().http.listen;
  const http = listen === null ? null : await (await import('./http-service.js')).startHttpService(view, listen);
  // One alerting per target (a config without targets is one): each keeps its own Alertmanager memory, so
  // one target's cycle never resolves another's alerts; each target's config (its interval) sets the hold.
  const perTarget = new Map<string | null, { alerts: ReturnType<typeof cycleEndAlerts>; config: GuardConfig }>();
  // Shared by every target's alerting (a closure each per target cost ~200 B a target at 10,000).
  const nowMs = (): number => view.nowMs();
  const problem = (l: string): void => view.problem(l);
  const info = (l: string): void => view.info(l);
  // A target's alerting is made once a config of it sets a channel up: without one, a cycle's end has nothing to push,
  // and 10,000 targets would each keep an empty Alertmanager memory and its closures (~1.5 KB a target) for nothing.
  const withChannel = new WeakMap<GuardConfig, boolean>();
  const hasChannel = (config: GuardConfig): boolean => {
    let has = withChannel.get(config);
    if (has === undefined) withChannel.set(config, (has = configuredProviders(config, alertDeps).length > 0));
    return has;
  };
  const alertsOf = (config: GuardConfig) => {
    let entry = perTarget.get(config.target);
    if (entry === undefined) {
      if (!hasChannel(config)) return null;
      const e = { config, alerts: null as unknown as ReturnType<typeof cycleEndAlerts> };
      e.alerts = cycleEndAlerts({ mode: 'daemon', config: () => e.config, nowMs, deps: alertDeps, problem, info });
      perTarget.set(config.target, (entry = e));
    }
    entry.config = config;
    return entry.alerts;
  };
  return {
    observe(report) {
      http?.observe(report);
      alertsOf(report.config)?.observe({ outcome: report.result, endedMs: report.endedMs });
    },
    async close() {
      for (const { alerts } of perTarget.values()) await alerts.idle();
      await http?.close();
    },
  };
}
