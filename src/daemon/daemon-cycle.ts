// One daemon cycle: fresh cycle deps (the log is reopened every cycle, so logrotate's `create` and
// `copytruncate` both work), the log wrapped so that a write failure holds records back instead of
// failing the cycle, runCycle, and the one-line outcome for scheduler.log.
import type { GuardConfig } from '../config/config.js';
import type { CycleResult } from '../cycle/check-cycle.js';
import type { CycleDeps } from '../cycle/deps.js';
import { heldLog, type HeldRecords } from './held-log.js';
import type { DaemonLog } from './daemon-log.js';
import { outcomeLine } from './outcome.js';

/** What a daemon cycle is built from (the real ones come from the CLI's composition root). */
export interface CycleParts {
  /** Builds a cycle's deps for a config; close() releases the log file. */
  cycleDeps(config: GuardConfig, warn: (line: string) => void): CycleDeps & { close(): void };
  runCycle(config: GuardConfig, deps: CycleDeps): Promise<CycleResult>;
}

/** Runs daemon cycles. */
export interface DaemonCycleRunner {
  /** Runs cycle `n` with `config`; resolves with its outcome line. */
  run(n: number, config: GuardConfig): Promise<string>;
  /** True when cycle `n` could not write or read the log (its end line is a problem). */
  troubled(n: number): boolean;
}

/** Creates the runner. The stop signal is NOT passed into a cycle: a cycle in flight at SIGTERM
 * finishes (runCycle aborts itself at cycle_timeout). */
export function daemonCycleRunner(parts: CycleParts, queue: HeldRecords, log: DaemonLog): DaemonCycleRunner {
  let skippedSeen = 0;
  let troubledCycle = 0;
  const run = async (n: number, config: GuardConfig): Promise<string> => {
    const real = parts.cycleDeps(config, (line) => log.problem(`cycle ${n}: ${line}`));
    const guardLog = heldLog(real.log, queue);
    try {
      const result = await parts.runCycle(config, { ...real, log: guardLog });
      const skipped = result.measurement?.skippedLines ?? 0;
      if (skipped > 0 && skipped !== skippedSeen) log.info(`cycle ${n}: skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'} in ${config.logFile}`);
      skippedSeen = skipped;
      const report = guardLog.report();
      if (report.writeError !== null || report.readError !== null) troubledCycle = n;
      return outcomeLine(result, report);
    } finally {
      real.close();
    }
  };
  return { run, troubled: (n) => troubledCycle === n };
}
