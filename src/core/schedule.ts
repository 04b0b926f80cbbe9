// When the next cycle is due: every `interval` from the start on the monotonic clock (no drift with
// cycle duration), or at the next match of a cron expression on the wall clock.
import { Cron } from 'croner';

/** A cycle schedule. */
export type Schedule = { kind: 'interval'; everyMs: number } | { kind: 'cron'; expr: string };

/** Validates a cron expression; returns a one-line problem or null. */
export function cronProblem(expr: string): string | null {
  try {
    new Cron(expr, { paused: true });
    return null;
  } catch (err) {
    return (err as Error).message.replace(/^CronPattern: /, '');
  }
}

/** A clock reading: monotonic and wall milliseconds taken together. */
export interface Now {
  mono: number;
  wall: number;
}

/** Plans ticks: `next(now)` returns the monotonic time of the next tick after `now`. */
export function planner(schedule: Schedule, start: Now): { next(now: Now): number; describe(): string } {
  if (schedule.kind === 'interval') {
    const every = schedule.everyMs;
    return {
      // The k-th tick is at start + k·every; the first after now is the next one due. Computed back from a
      // tick's own time, the division can land a hair below k (floating point): the tick itself is never next.
      next: (now) => {
        const due = start.mono + (Math.floor((now.mono - start.mono) / every) + 1) * every;
        return due > now.mono ? due : due + every;
      },
      describe: () => `every ${every} ms`,
    };
  }
  const cron = new Cron(schedule.expr, { paused: true });
  return {
    next(now) {
      const at = cron.nextRun(new Date(now.wall));
      if (at === null) return Number.POSITIVE_INFINITY;
      return now.mono + Math.max(0, at.getTime() - now.wall);
    },
    describe: () => `cron "${schedule.expr}"`,
  };
}
