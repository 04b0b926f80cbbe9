// The longest unhealthy stretch: consecutive checks with lat.ok false. Pure, O(1) memory. Its state can
// be merged with the state of the next part of the log (read by another thread): the failed checks
// before a part's first ok check are kept apart, as they may continue a run of the part before.
import { roundMs } from '../core/format.js';
import type { TimePoint } from './check-view.js';

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

/** What a tracker knows about its part of the log. */
export interface StretchState {
  /** Failed checks before the part's first ok check. */
  lead: Run | null;
  /** The part's first ok check; null when it had none. */
  leadEnd: { ts: string; tsMs: number } | null;
  /** The longest run after leadEnd that an ok check ended. */
  best: UnhealthyStretch | null;
  /** The run still open at the end of the part (after leadEnd). */
  run: Run | null;
}

/** Tracks runs of failed checks and keeps the longest. */
export interface StretchTracker {
  check(at: TimePoint, ok: boolean): void;
  state(): StretchState;
  longest(): UnhealthyStretch | null;
}

// a beats b: longer, then more checks; on a tie the earlier (already kept) one stays.
const beats = (a: UnhealthyStretch, b: UnhealthyStretch | null): boolean =>
  b === null || a.durationMs > b.durationMs || (a.durationMs === b.durationMs && a.checks > b.checks);
const firstBest = (a: UnhealthyStretch | null, b: UnhealthyStretch | null): UnhealthyStretch | null => (b !== null && beats(b, a) ? b : a);

function close(run: Run, end: string, endMs: number, ongoing: boolean): UnhealthyStretch {
  return { start: run.start, end, durationMs: roundMs(endMs - run.startMs), checks: run.checks, ongoing };
}

function extend(run: Run | null, at: TimePoint): Run {
  const ts = at.ts;
  if (run === null) return { start: ts, startMs: at.tsMs, last: ts, lastMs: at.tsMs, checks: 1 };
  run.last = ts;
  run.lastMs = at.tsMs;
  run.checks++;
  return run;
}

// Run a then run b, the checks between them all failed.
function join(a: Run | null, b: Run | null): Run | null {
  if (a === null || b === null) return a ?? b;
  return { start: a.start, startMs: a.startMs, last: b.last, lastMs: b.lastMs, checks: a.checks + b.checks };
}

/** The state of part a followed by part b. */
export function mergeStretches(a: StretchState, b: StretchState): StretchState {
  if (a.leadEnd === null) return { lead: join(a.lead, b.lead), leadEnd: b.leadEnd, best: b.best, run: b.run };
  const run = join(a.run, b.lead);
  if (b.leadEnd === null) return { ...a, run };
  const closed = run === null ? null : close(run, b.leadEnd.ts, b.leadEnd.tsMs, false);
  return { lead: a.lead, leadEnd: a.leadEnd, best: firstBest(firstBest(a.best, closed), b.best), run: b.run };
}

/** The longest stretch of a whole range (nothing before it); one lasting to the end is ongoing. */
export function longestOf(s: StretchState): UnhealthyStretch | null {
  if (s.leadEnd === null) return s.lead === null ? null : close(s.lead, s.lead.last, s.lead.lastMs, true);
  const first = s.lead === null ? null : close(s.lead, s.leadEnd.ts, s.leadEnd.tsMs, false);
  const ongoing = s.run === null ? null : close(s.run, s.run.last, s.run.lastMs, true);
  return firstBest(firstBest(first, s.best), ongoing);
}

/** Creates a tracker fed with every check in log order, after the part of the log whose state is given. */
export function stretchTracker(from?: StretchState): StretchTracker {
  const s: StretchState = from ?? { lead: null, leadEnd: null, best: null, run: null };
  return {
    check(at, ok) {
      if (!ok) {
        if (s.leadEnd === null) s.lead = extend(s.lead, at);
        else s.run = extend(s.run, at);
      } else if (s.leadEnd === null) s.leadEnd = { ts: at.ts, tsMs: at.tsMs };
      else if (s.run !== null) {
        s.best = firstBest(s.best, close(s.run, at.ts, at.tsMs, false));
        s.run = null;
      }
    },
    state: () => s,
    longest: () => longestOf(s),
  };
}
