// What watches the cycles from beside them: the report of a finished cycle, the observer told of it, and the
// view of the daemon and the services it starts beside its cycles (the HTTP server, the Alertmanager push).
// Declared here, below the daemon and http/, so the daemon runs the services and http/ implements them
// without either importing the other.
import type { GuardConfig } from '../config/config.js';
import type { CycleResult } from './check-cycle.js';

/** How a cycle ended, for whoever watches the daemon (metrics, the dashboard's stream, Alertmanager). */
export interface CycleReport {
  cycle: number;
  config: GuardConfig;
  /** Wall-clock start and end (epoch ms); the duration is measured on the monotonic clock. */
  startedMs: number;
  endedMs: number;
  durationMs: number;
  /** null when the cycle failed with an error (then `error` says why). */
  result: CycleResult | null;
  error: string | null;
  /** The scheduler's view: how late the cycle started after its planned time, and the ticks skipped while it ran;
   * absent outside the daemon's loops. */
  schedule?: CycleSchedule;
}

/** How a cycle was scheduled (for /metrics). */
export interface CycleSchedule {
  lagMs: number;
  skipped: number;
}

/** Told about every cycle once it ended; must not throw (a throw is reported, never fatal). */
export type CycleObserver = (report: CycleReport) => void;

/** What the daemon's services see of it. */
export interface DaemonView {
  pid: number;
  version: string;
  startedAtMs: number;
  /** Wall-clock time (epoch ms). */
  nowMs(): number;
  /** The config in force (it changes on SIGHUP). */
  config(): GuardConfig;
  /** A line in scheduler.log; problem() also goes to stderr under --quiet. */
  info(line: string): void;
  problem(line: string): void;
}

/** Services started after the lock: told about every cycle, closed at the stop. */
export interface DaemonServices {
  observe: CycleObserver;
  close(): Promise<void>;
}
