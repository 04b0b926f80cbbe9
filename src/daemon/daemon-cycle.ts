// One daemon cycle: fresh cycle deps (the log is reopened every cycle, so logrotate's `create` and
// `copytruncate` both work, and no write descriptor stays open between cycles: a held one makes
// `mount -o remount,ro` of the log's file system fail, test/faults/log-faults.test.ts), the log wrapped so that a write failure holds records back instead of
// failing the cycle, runCycle, and the one-line outcome for scheduler.log.
import type { GuardConfig } from '../config/config.js';
import type { CycleResult } from '../cycle/check-cycle.js';
import type { CycleObserver, CycleReport, CycleSchedule } from '../cycle/cycle-watch.js';
import type { CycleDeps } from '../cycle/deps.js';
import type { Clock } from '../effects/clock.js';
import { historyCollector, type History, type HistoryNeeds } from '../core/history.js';
import { historyFollower, type HistoryFollower } from './history-follower.js';
import { heldLog, type HeldRecords } from './held-log.js';
import type { DaemonLog } from './daemon-log.js';
import { outcomeLine } from './outcome.js';
import { merged } from '../core/merged.js';

/** What a daemon cycle is built from (the real ones come from the CLI's composition root). */
export interface CycleParts {
  /** Builds a cycle's deps for a config; close() releases the log file. */
  cycleDeps(config: GuardConfig, warn: (line: string) => void): CycleDeps & { close(): void };
  runCycle(config: GuardConfig, deps: CycleDeps): Promise<CycleResult>;
}

/** Runs daemon cycles. */
export interface DaemonCycleRunner {
  /** Runs cycle `n` with `config`; resolves with its outcome line. */
  run(n: number, config: GuardConfig, schedule?: CycleSchedule): Promise<string>;
  /** True when cycle `n` could not write or read the log (its end line is a problem). */
  troubled(n: number): boolean;
}

/** Creates the runner. The stop signal is NOT passed into a cycle: a cycle in flight at SIGTERM
 * finishes (runCycle aborts itself at cycle_timeout). */
export function daemonCycleRunner(parts: CycleParts, queue: HeldRecords, log: DaemonLog, watch?: { clock: Clock; observe: () => CycleObserver | null }): DaemonCycleRunner {
  let skippedSeen = 0;
  let troubledCycle = 0;
  let followed: { path: string; follower: HistoryFollower } | null = null;
  const run = async (n: number, config: GuardConfig, schedule?: CycleSchedule): Promise<string> => {
    const real = parts.cycleDeps(config, (line) => log.problem(`cycle ${n}: ${line}`));
    const guardLog = heldLog(real.log, queue);
    const tell = watch ? reporter(n, config, watch, log, schedule) : null;
    if (followed?.path !== config.logFile) {
      followed?.follower.close();
      followed = { path: config.logFile, follower: historyFollower(config.logFile) };
    }
    const { follower } = followed;
    // The history stays in memory between cycles; a log that cannot be read falls back to the held records.
    const history = (needs: HistoryNeeds): { history: History; skipped: number } => {
      try {
        return follower.read(needs, queue.entries.map((e) => e.record));
      } catch {
        const collector = historyCollector(needs);
        const stats = guardLog.readBackward(collector.visit);
        return { history: collector.result(), skipped: stats.skipped };
      }
    };
    try {
      const result = await parts.runCycle(config, merged(real, { log: guardLog, history })).catch((err: unknown) => {
        tell?.(null, (err as Error)?.message ?? String(err));
        throw err;
      });
      tell?.(result, null);
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

// Stamps the start now; the returned function tells the observer how the cycle ended.
function reporter(n: number, config: GuardConfig, watch: { clock: Clock; observe: () => CycleObserver | null }, log: DaemonLog, schedule?: CycleSchedule) {
  const startedMs = watch.clock.nowMs();
  const mono = watch.clock.monoMs();
  return (result: CycleResult | null, error: string | null): void => {
    const observe = watch.observe();
    if (observe === null) return;
    const report: CycleReport = { cycle: n, config, startedMs, endedMs: watch.clock.nowMs(), durationMs: watch.clock.monoMs() - mono, result, error, ...(schedule ? { schedule: { ...schedule } } : {}) };
    try {
      observe(report);
    } catch (err) {
      log.problem(`cycle ${n}: reporting the cycle failed: ${(err as Error)?.message ?? String(err)}`);
    }
  };
}
