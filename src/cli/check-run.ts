// The rest of `anomaly-guard check`: the cycle, a summary (or the records with --json), the exit status.
import { runCycle, type CycleResult } from '../cycle/check-cycle.js';
import { visible, visibleJson, visibleLines } from '../core/terminal-text.js';
import { GuardError } from '../errors.js';
import { LogWriteError } from '../log/appender.js';
import type { GuardConfig } from '../config/config.js';
import type { StartedHostSample } from '../cycle/host-sample.js';
import { realCycleDeps } from './real-deps.js';
import { renderCycle } from './render-cycle.js';

/** Runs one cycle with an already started host sample; returns the exit status. */
export async function runCheck(config: GuardConfig, opts: Record<string, unknown>, hostSample: StartedHostSample): Promise<number> {
  const warn = (line: string): void => void process.stderr.write(`anomaly-guard check: ${visible(line)}\n`);
  const deps = realCycleDeps(config, warn);
  try {
    const dryRun = opts.dryRun === true;
    const result = await runCycle(config, deps, { hostSample, dryRun });
    const skipped = result.measurement?.skippedLines ?? 0;
    if (skipped > 0) warn(`skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'} in ${config.logFile}`);
    if (config.alert.alertmanager.url !== '' && !dryRun) await pushToAlertmanager(config, result, warn);
    // Network text (probe details, alert replies) and log text reach the terminal escaped.
    const out = opts.json ? result.records.map((r) => visibleJson(JSON.stringify(r))).join('\n') : visibleLines(renderCycle(config, result));
    process.stdout.write(`${out}\n`);
    return result.status;
  } catch (err) {
    throw asLogError(err);
  } finally {
    deps.close();
  }
}

/** A one-shot check has no memory of earlier alerts: it sends the firing ones, lasting two intervals. */
export async function pushToAlertmanager(config: GuardConfig, result: CycleResult, warn: (line: string) => void): Promise<void> {
  const [{ pushOnce }, { cadenceMs }] = await Promise.all([import('../alert/alertmanager.js'), import('../core/cadence.js')]);
  const now = Date.now();
  const outcome = await pushOnce(result, config, now, 2 * cadenceMs(config, now));
  if (outcome !== null && !outcome.ok) warn(`alert: ${outcome.detail}`);
}

/** A log write failure as the LOG_UNWRITABLE error the user sees. */
export function asLogError(err: unknown): unknown {
  if (err instanceof LogWriteError) {
    return new GuardError('LOG_UNWRITABLE', err.message, { hint: 'make the log folder writable or point log_file somewhere writable' });
  }
  return err;
}
