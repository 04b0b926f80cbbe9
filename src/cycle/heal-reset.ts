// Resetting the heal budget by hand (`anomaly-guard heal-reset`, SIGUSR1 to the daemon): a
// heal_resumed record; heals before it no longer count toward max_per_hour, and a latch is released.
import type { Clock } from '../effects/clock.js';
import { formatTs } from '../core/format.js';
import type { HealResumedRecord } from '../log/records.js';
import type { GuardLog } from '../log/file-log.js';

/** Appends a heal_resumed record (why: manual) and returns it; `rebaseline` also starts the latency baseline afresh;
 * `target` names the target (a guard with `targets:`). */
export function appendHealReset(log: Pick<GuardLog, 'append'>, clock: Pick<Clock, 'nowMs'>, detail: string, rebaseline = false, target: string | null = null): HealResumedRecord {
  const record: HealResumedRecord & { target?: string } = {
    event: 'heal_resumed',
    ts: formatTs(clock.nowMs()),
    why: 'manual',
    detail,
    ...(rebaseline ? { rebaseline: true as const } : {}),
    ...(target === null ? {} : { target }),
  };
  log.append(record);
  return record;
}
