// The rest of `anomaly-guard check`: the cycle, a summary (or the records with --json), the exit status.
import { runCycle } from '../cycle/check-cycle.js';
import { GuardError } from '../errors.js';
import { LogWriteError } from '../log/appender.js';
import type { GuardConfig } from '../config/config.js';
import type { HostSample } from '../probes/host.js';
import { realCycleDeps } from './real-deps.js';
import { renderCycle } from './render-cycle.js';

/** Runs one cycle with an already started host sample; returns the exit status. */
export async function runCheck(config: GuardConfig, opts: Record<string, unknown>, hostSample: Promise<HostSample>): Promise<number> {
  const warn = (line: string): void => void process.stderr.write(`anomaly-guard check: ${line}\n`);
  const deps = realCycleDeps(config, warn);
  try {
    const result = await runCycle(config, deps, { hostSample });
    const skipped = result.measurement?.skippedLines ?? 0;
    if (skipped > 0) warn(`skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'} in ${config.logFile}`);
    const out = opts.json ? result.records.map((r) => JSON.stringify(r)).join('\n') : renderCycle(config, result);
    process.stdout.write(`${out}\n`);
    return result.status;
  } catch (err) {
    throw asLogError(err);
  } finally {
    deps.close();
  }
}

function asLogError(err: unknown): unknown {
  if (err instanceof LogWriteError) {
    return new GuardError('LOG_UNWRITABLE', err.message, { hint: 'make the log folder writable or point log_file somewhere writable' });
  }
  return err;
}
