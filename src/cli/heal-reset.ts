// `anomaly-guard heal-reset`: tells the guard to heal again after the budget was spent, by appending a
// heal_resumed record (the log is the state, so a running daemon and one-shot checks both see it).
import { appendHealReset } from '../cycle/heal-reset.js';
import { systemClock } from '../effects/clock.js';
import { GuardError } from '../errors.js';
import { fileGuardLog } from '../log/file-log.js';
import { LogWriteError } from '../log/appender.js';
import type { GuardConfig } from '../config/config.js';
import { loadForCommand } from './config-arg.js';
import { chosenTargets } from './target-arg.js';

/** Appends heal_resumed (why manual) to the log of the target named by --target, or of every target;
 * earlier heals no longer count toward heal.max_per_hour. */
export default async function healReset(opts: Record<string, unknown>): Promise<number> {
  const loaded = await loadForCommand(opts, 'heal-reset');
  for (const config of chosenTargets(loaded, opts.target)) resetOne(config, opts);
  return 0;
}

function resetOne(config: GuardConfig, opts: Record<string, unknown>): void {
  const log = fileGuardLog(config.logFile);
  try {
    const rebaseline = opts.rebaseline === true;
    const record = appendHealReset(log, systemClock(), typeof opts.reason === 'string' ? opts.reason : 'heal-reset command', rebaseline, config.target);
    const relearn = rebaseline ? `; the latency baseline is learnt afresh (no latency score for the next ${config.latency.minSamples} ok checks)` : '';
    const whose = config.target === null ? '' : ` of ${config.target}`;
    process.stdout.write(`${JSON.stringify(record)}\nhealing${whose} resumes: earlier heals no longer count toward heal.max_per_hour${relearn}\n`);
  } catch (err) {
    if (err instanceof LogWriteError) throw new GuardError('LOG_UNWRITABLE', err.message, { hint: 'make the log folder writable' });
    throw err;
  } finally {
    log.close();
  }
}
