// scheduler.log at scale: with thousands of targets, a line per cycle start and end is thousands of lines a
// second. The routine ones are counted instead, and one line a minute says how many there were, how late the
// cycles started and how many ticks were skipped. Routine: a start, an end whose outcome is OK, an end that says
// the same as the same target's previous end (a host-wide finding such as `cpu_critical` is seen by every
// target every cycle: its first cycle gets a line, the repeats are counted; the check records hold every one),
// and a skipped tick (it is also counted in /metrics). A cycle that healed, alerted in vain, timed out or
// could not write its log, and every error, keeps its own line.
import type { Clock } from '../effects/clock.js';
import type { DaemonLog } from './daemon-log.js';
import type { SchedulerNote } from './scheduler.js';

/** How often the summary line is written. */
export const SUMMARY_EVERY_MS = 60_000;

/** What the summary remembers of one target's loop: the shape of its previous cycle's outcome. */
export interface LoopMemory {
  lastShape: string | null;
}

/** Counts routine notes; `absorb` is true when a note was counted (and must not get a line of its own). */
export interface RoutineSummary {
  absorb(note: SchedulerNote, loop: LoopMemory): boolean;
  /** Writes what was counted since the last line (the daemon's stop: the last minute is not lost). */
  final(): void;
}

/** A fresh memory for one loop. */
export function loopMemory(): LoopMemory {
  return { lastShape: null };
}

// An outcome without its figures: "WARNING cpu_critical (93.2%)" and "WARNING cpu_critical (97.0%)" say the same.
// Only a headline (no "; heal …", "; recovered …", "; log …" part) can be routine.
function shapeOf(outcome: string): string | null {
  if (outcome.includes('; ')) return null;
  return outcome.replace(/[0-9]+(\.[0-9]+)?/g, '#');
}

/** A summary writing through `log` once SUMMARY_EVERY_MS has passed since the previous line. */
export function routineSummary(clock: Pick<Clock, 'monoMs'>, log: Pick<DaemonLog, 'info'>): RoutineSummary {
  let since = clock.monoMs();
  let started = 0;
  let endedOk = 0;
  let repeated = 0;
  let skipped = 0;
  let maxLagMs = 0;
  const flush = (now: number): void => {
    const same = repeated > 0 ? ` (and ${repeated} with the same finding as their previous cycle)` : '';
    const skips = skipped > 0 ? `; ${skipped} tick${skipped === 1 ? '' : 's'} skipped (cycle still running)` : '';
    log.info(`targets: ${started} cycles started and ${endedOk} ended OK${same} in the last ${Math.round((now - since) / 1000)} s, latest start ${Math.round(maxLagMs)} ms after its time${skips}`);
    since = now;
    started = 0;
    endedOk = 0;
    repeated = 0;
    skipped = 0;
    maxLagMs = 0;
  };
  const count = (note: SchedulerNote, loop: LoopMemory): boolean => {
    switch (note.kind) {
      case 'cycle-start':
        started += 1;
        maxLagMs = Math.max(maxLagMs, note.lagMs ?? 0);
        return true;
      case 'skip':
        skipped += 1;
        return true;
      case 'cycle-end': {
        const shape = shapeOf(note.outcome);
        const before = loop.lastShape;
        loop.lastShape = shape;
        if (note.outcome === 'OK') endedOk += 1;
        else if (shape !== null && shape === before) repeated += 1;
        else return false;
        return true;
      }
      default:
        loop.lastShape = null;
        return false;
    }
  };
  return {
    absorb(note, loop) {
      const counted = count(note, loop);
      const now = clock.monoMs();
      if (counted && now - since >= SUMMARY_EVERY_MS) flush(now);
      return counted;
    },
    final() {
      if (started + endedOk + repeated + skipped > 0) flush(clock.monoMs());
    },
  };
}
