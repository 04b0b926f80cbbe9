// The rest of `anomaly-guard check`: the cycle, alerting on its outcome, a summary (or the records with
// --json), the exit status.
import { hostname } from 'node:os';
import { cycleEndAlerts } from '../alert/alerting.js';
import { runCycle, type CycleResult } from '../cycle/check-cycle.js';
import type { CycleDeps } from '../cycle/deps.js';
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
    if (!dryRun) await alertOnce(config, deps, result, warn);
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

/** A one-shot check tells alerting about its cycle as the daemon does about each of its own, without
 * memory of earlier ones: Alertmanager gets the firing alerts, lasting two intervals. */
export async function alertOnce(config: GuardConfig, deps: CycleDeps, result: CycleResult, warn: (line: string) => void): Promise<void> {
  const alerts = cycleEndAlerts({ mode: 'once', config: () => config, nowMs: Date.now, deps: { runner: deps.runner, post: deps.post, sleep: deps.clock.sleep, hostname: hostname() }, problem: warn, info: warn });
  alerts.observe({ outcome: result, endedMs: Date.now() });
  await alerts.idle();
}

/** A log write failure as the LOG_UNWRITABLE error the user sees. */
export function asLogError(err: unknown): unknown {
  if (err instanceof LogWriteError) {
    return new GuardError('LOG_UNWRITABLE', err.message, { hint: 'make the log folder writable or point log_file somewhere writable' });
  }
  return err;
}
