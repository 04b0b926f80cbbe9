// The span of a report: the first and the last record in time (the earliest of equal times). A record
// skimmed from its bytes gives its ts as whole µs (tsUs): the text is built once, when asked for, not
// for every line that becomes the last.
import type { TimePoint } from './check-view.js';
import { tsTextOfUs } from './ts-bytes.js';

/** The first and last ts and their times; nulls before any record. */
export interface Span {
  first: string | null;
  last: string | null;
  firstMs: number | null;
  lastMs: number | null;
}

/** A time point with its ts in whole µs (NaN when only the text has it). */
export type KeptPoint = TimePoint & { readonly tsUs: number };

/** Tracks the span of the records fed in log order. */
export interface SpanTracker {
  at(p: KeptPoint): void;
  /** Extends the span by the next part's. */
  merge(next: Span): void;
  span(): Span;
}

/** Creates an empty span. */
export function spanTracker(): SpanTracker {
  const ms = Float64Array.of(Number.NaN, Number.NaN);
  const us = Float64Array.of(Number.NaN, Number.NaN);
  const text: (string | null)[] = [null, null];
  const set = (i: 0 | 1, p: KeptPoint): void => {
    ms[i] = p.tsMs;
    us[i] = p.tsUs;
    text[i] = Number.isNaN(p.tsUs) ? p.ts : null;
  };
  const textOf = (i: 0 | 1): string | null => text[i] ?? (Number.isNaN(us[i]) ? null : tsTextOfUs(us[i] as number));
  const msOf = (i: 0 | 1): number | null => (Number.isNaN(ms[i]) ? null : (ms[i] as number));
  const tracker: SpanTracker = {
    at(p) {
      if (!(p.tsMs >= (ms[0] as number))) set(0, p);
      if (!(p.tsMs <= (ms[1] as number))) set(1, p);
    },
    merge(next) {
      if (next.firstMs !== null && next.first !== null && !(next.firstMs >= (ms[0] as number))) set(0, { ts: next.first, tsMs: next.firstMs, tsUs: Number.NaN });
      if (next.lastMs !== null && next.last !== null && !(next.lastMs <= (ms[1] as number))) set(1, { ts: next.last, tsMs: next.lastMs, tsUs: Number.NaN });
    },
    span: () => ({ first: textOf(0), last: textOf(1), firstMs: msOf(0), lastMs: msOf(1) }),
  };
  return tracker;
}
