// scheduler.log at scale: with thousands of targets, a line per cycle start and end is thousands of lines a
// second. The routine ones (a start, an end whose outcome is OK) are counted instead, and one line a minute
// says how many there were and how late the cycles started; every other line (a problem, a finding, a skip)
// is still written on its own.
import type { Clock } from '../effects/clock.js';
import type { DaemonLog } from './daemon-log.js';
import type { SchedulerNote } from './scheduler.js';

/** How often the summary line is written. */
export const SUMMARY_EVERY_MS = 60_000;

/** Counts routine notes; `absorb` is true when a note was counted (and must not get a line of its own). */
export interface RoutineSummary {
  absorb(note: SchedulerNote): boolean;
}

/** A summary writing through `log` once SUMMARY_EVERY_MS has passed since the previous line. */
export function routineSummary(clock: Pick<Clock, 'monoMs'>, log: Pick<DaemonLog, 'info'>): RoutineSummary {
  let since = clock.monoMs();
  let started = 0;
  let ended = 0;
  let maxLagMs = 0;
  const flush = (now: number): void => {
    log.info(`targets: ${started} cycles started and ${ended} ended OK in the last ${Math.round((now - since) / 1000)} s, latest start ${Math.round(maxLagMs)} ms after its time`);
    since = now;
    started = 0;
    ended = 0;
    maxLagMs = 0;
  };
  return {
    absorb(note) {
      const routine = note.kind === 'cycle-start' || (note.kind === 'cycle-end' && note.outcome === 'OK');
      if (!routine) return false;
      if (note.kind === 'cycle-start') {
        started += 1;
        maxLagMs = Math.max(maxLagMs, note.lagMs ?? 0);
      } else ended += 1;
      const now = clock.monoMs();
      if (now - since >= SUMMARY_EVERY_MS) flush(now);
      return true;
    },
  };
}
