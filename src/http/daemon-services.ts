// The daemon's services beside its cycles: the HTTP server (when http.listen is set) and the Alertmanager
// push (when alert.alertmanager.url is set). Both are told about every cycle; neither can fail a cycle.
import { alertmanagerPusher, type PushOutcome } from '../alert/alertmanager.js';
import type { CycleReport } from '../daemon/daemon-cycle.js';
import type { DaemonServices, DaemonView } from '../daemon/daemon.js';
import { cadenceMs } from '../core/cadence.js';

/** Starts the services; the HTTP parts are loaded only when http.listen is set. */
export async function startDaemonServices(view: DaemonView): Promise<DaemonServices> {
  const listen = view.config().http.listen;
  const http = listen === null ? null : await (await import('./http-service.js')).startHttpService(view, listen);
  const alerts = alertPushes(view);
  return {
    observe(report) {
      http?.observe(report);
      alerts.observe(report);
    },
    async close() {
      await alerts.idle();
      await http?.close();
    },
  };
}

// One pusher per target (a config without targets is one): each remembers its own firing alerts, so one
// target's cycle never resolves another's. A failing Alertmanager is said once for all of them.
function alertPushes(view: DaemonView) {
  const tell = problemTeller(view);
  const pushers = new Map<string | null, ReturnType<typeof targetPushes>>();
  return {
    observe(report: CycleReport): void {
      if (report.config.alert.alertmanager.url === '') return;
      let pusher = pushers.get(report.config.target);
      if (pusher === undefined) pushers.set(report.config.target, (pusher = targetPushes(view, tell)));
      pusher.observe(report);
    },
    idle: async (): Promise<void> => {
      for (const pusher of pushers.values()) await pusher.idle();
    },
  };
}

function problemTeller(view: DaemonView): (outcome: PushOutcome | null) => void {
  let lastProblem: string | null = null;
  return (outcome) => {
    if (outcome === null) return;
    if (!outcome.ok && outcome.detail !== lastProblem) view.problem(`alert: ${outcome.detail}`);
    else if (outcome.ok && lastProblem !== null) view.info('alert: alertmanager reachable again');
    lastProblem = outcome.ok ? null : outcome.detail;
  };
}

// One push at a time: a cycle that ends while a push is in flight waits for it, and only the newest
// waiting cycle is pushed (an Alertmanager that hangs never piles up requests). The cycle's own config
// gives the cadence (a target may have an interval of its own).
function targetPushes(view: DaemonView, tell: (outcome: PushOutcome | null) => void) {
  const pusher = alertmanagerPusher();
  let inFlight: Promise<void> | null = null;
  let waiting: CycleReport | null = null;
  const run = (report: CycleReport): Promise<void> => {
    const config = report.config;
    const every = cadenceMs(config, report.endedMs);
    // Lasts through the next cycle even when it is slow: 3 cycles, or 1 cycle plus cycle_timeout.
    const holdMs = Math.max(3 * every, every + config.cycleTimeoutMs);
    if (report.result === null) return Promise.resolve();
    return pusher.push(report.result, config, view.nowMs(), holdMs).then(tell, (err: unknown) => tell({ ok: false, detail: (err as Error)?.message ?? String(err) }));
  };
  const pump = (): void => {
    const next = waiting;
    waiting = null;
    if (next === null) {
      inFlight = null;
      return;
    }
    inFlight = run(next).then(pump);
  };
  return {
    observe(report: CycleReport): void {
      waiting = report;
      if (inFlight === null) pump();
    },
    idle: async (): Promise<void> => {
      while (inFlight !== null) await inFlight;
    },
  };
}
