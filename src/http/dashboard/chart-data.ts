// Turns api/series into uPlot's column arrays: the ±sigma band, the rolling mean, latency of ok probes,
// failed probes apart, and each trigger placed on the check it belongs to.
import type { SeriesResponse } from './api-types.js';
import { tsMs } from './format.js';

/** uPlot's aligned data: x in seconds, then one column per series (null = no value). */
export type Columns = [number[], ...(number | null)[][]];

/** The chart's columns and what the page reports about them. */
export interface ChartData {
  columns: Columns;
  points: number;
  markers: number;
  failed: number;
}

/** Column order (after x): band upper, band lower, mean, latency ok, latency failed, trigger. */
export function chartData(series: SeriesResponse): ChartData {
  const points = series.points.filter((p) => Number.isFinite(tsMs(p.ts)));
  const xs = points.map((p) => tsMs(p.ts) / 1000);
  const band = (sign: number) => points.map((p) => (p.mean === null || p.stdev === null ? null : p.mean + sign * series.sigma * p.stdev));
  const ok = points.map((p) => (p.ok ? p.latency_ms : null));
  const failed = points.map((p) => (p.ok ? null : p.latency_ms));
  const marks = triggerColumn(xs, points.map((p) => p.latency_ms), series.triggers.map((t) => tsMs(t.ts) / 1000));
  const columns: Columns = [xs, band(1), band(-1), points.map((p) => p.mean), ok, failed, marks];
  return { columns, points: xs.length, markers: marks.filter((v) => v !== null).length, failed: failed.filter((v) => v !== null).length };
}

/** A column with each trigger's latency at the check it followed (the last one at or before it). */
export function triggerColumn(xs: number[], latency: (number | null)[], triggers: number[]): (number | null)[] {
  const column: (number | null)[] = xs.map(() => null);
  if (xs.length === 0) return column;
  for (const t of triggers) {
    if (!Number.isFinite(t)) continue;
    const i = lastAtOrBefore(xs, t);
    column[i] = latency[i] ?? 0;
  }
  return column;
}

/** Index of the last x <= t in an ascending array (0 when t is before them all); binary search. */
export function lastAtOrBefore(xs: number[], t: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((xs[mid] ?? Infinity) <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
