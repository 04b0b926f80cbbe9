// How often the daemon runs a cycle: `interval`, or for a `schedule` the longest gap between its next
// runs. /healthz and the Alertmanager push (how long an alert lasts without news) are measured in it.
import { Cron } from 'croner';

/** How a guard is scheduled: every intervalMs, or on a cron expression when schedule is set. */
export interface Cadence {
  intervalMs: number;
  schedule: string | null;
}

/** The time between cycles in ms; for a cron schedule the longest of its next few gaps. */
export function cadenceMs(config: Cadence, nowMs: number): number {
  if (config.schedule === null) return config.intervalMs;
  const runs = new Cron(config.schedule, { paused: true }).nextRuns(4, new Date(nowMs)).map((d) => d.getTime());
  const gaps = runs.slice(1).map((t, i) => t - (runs[i] as number));
  return gaps.length > 0 ? Math.max(...gaps) : config.intervalMs;
}

/** How old the last completed cycle may be before /healthz says the guard is stuck: three cycles, and
 * never less than one cycle plus cycle_timeout (a slow cycle is not a stuck one). */
export function maxCycleAgeMs(config: Cadence & { cycleTimeoutMs: number }, nowMs: number): number {
  const every = cadenceMs(config, nowMs);
  return Math.max(3 * every, every + config.cycleTimeoutMs);
}
