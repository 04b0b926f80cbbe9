// The daemon's own voice: every line goes to scheduler.log; routine lines are echoed on stderr (for
// journald) unless --quiet, problems always are. The writer can move when a reload changes scheduler_log.
import { schedulerLog, type SchedulerLog } from './scheduler-log.js';

/** Lines the daemon reports. */
export interface DaemonLog {
  /** A routine line (start, stop, cycle start / end). */
  info(message: string): void;
  /** A problem (cycle error, log not writable, reload refused): on stderr even with --quiet. */
  problem(message: string): void;
  /** Where the lines go now. */
  readonly path: string;
  /** Writes to another scheduler log from now on. */
  moveTo(path: string): void;
}

/** Opens the daemon log at `path`; `stderr` gets echoed lines and the log's own write failures. */
export function daemonLog(path: string, opts: { nowMs: () => number; stderr: (line: string) => void; quiet: boolean }): DaemonLog {
  let loud = false;
  const echo = (line: string): void => {
    if (!opts.quiet || loud) opts.stderr(line);
  };
  const open = (p: string): SchedulerLog => schedulerLog(p, opts.nowMs, echo, (msg) => opts.stderr(`anomaly-guard run: ${msg}`));
  let writer = open(path);
  let current = path;
  return {
    info: (message) => writer.write(message),
    problem(message) {
      loud = true;
      try {
        writer.write(message);
      } finally {
        loud = false;
      }
    },
    get path() {
      return current;
    },
    moveTo(next) {
      current = next;
      writer = open(next);
    },
  };
}
