// The longest unhealthy stretch: consecutive checks with lat.ok false. Pure, O(1) memory.
import { roundMs } from '../core/format.js';

/** A run of failed checks: from the first failed one to the first ok check after it. */
export interface UnhealthyStretch {
  /** ts of the first failed check. */
  start: string;
  /** ts of the first ok check after the run; the last failed check when the run lasts to the end. */
  end: string;
  durationMs: number;
  /** Failed checks in the run. */
  checks: number;
  /** True when no ok check followed (still unhealthy at the end of the range). */
  ongoing: boolean;
}

interface Run {
  start: string;
  startMs: number;
  last: string;
  lastMs: number;
  checks: number;
}

/** Tracks runs of failed checks and keeps the longest. */
export interface StretchTracker {
  check(ts: string, tsMs: number, ok: boolean): void;
  longest(): UnhealthyStretch | null;
}

// a beats b: longer, then more checks; on a tie the earlier (already kept) one stays.
const beats = (a: UnhealthyStretch, b: UnhealthyStretch | null): boolean =>
  b === null || a.durationMs > b.durationMs || (a.durationMs === b.durationMs && a.checks > b.checks);

function close(run: Run, end: string, endMs: number, ongoing: boolean): UnhealthyStretch {
  return { start: run.start, end, durationMs: roundMs(endMs - run.startMs), checks: run.checks, ongoing };
}

/** Creates a tracker fed with every check in log order. */
export function stretchTracker(): StretchTracker {
  let run: Run | null = null;
  let best: UnhealthyStretch | null = null;
  return {
    check(ts, tsMs, ok) {
      if (!ok) {
        run ??= { start: ts, startMs: tsMs, last: ts, lastMs: tsMs, checks: 0 };
        run.last = ts;
        run.lastMs = tsMs;
        run.checks++;
        return;
      }
      if (run === null) return;
      const done = close(run, ts, tsMs, false);
      if (beats(done, best)) best = done;
      run = null;
    },
    longest() {
      if (run === null) return best;
      const ongoing = close(run, run.last, run.lastMs, true);
      return beats(ongoing, best) ? ongoing : best;
    },
  };
}
