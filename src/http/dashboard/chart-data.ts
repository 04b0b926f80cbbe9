// Turns api/series into what the chart draws: uPlot's columns (the ±sigma band, the rolling mean, the
// latency of ok probes), and the marks drawn over and under it in the page: incidents as spans, runs of
// failed probes and triggers as marks in a row of their own. Times are epoch seconds, as uPlot's.
import type { SeriesPoint, SeriesResponse } from './api-types.js';
import { tsMs } from './format.js';

/** uPlot's aligned data: x in seconds, then one column per series (null = no value). */
export type Columns = [number[], ...(number | null)[][]];

/** A stretch of time, in epoch seconds; `to` null: still going at the end of the range. */
export interface Span {
  from: number;
  to: number | null;
}

/** The chart's columns, its marks and what the page reports about them. */
export interface ChartData {
  columns: Columns;
  /** What the chart shows, in epoch seconds: the range asked for, from its first check when the log is younger. */
  range: { from: number; to: number };
  incidents: Span[];
  failedRuns: Span[];
  triggers: number[];
  points: number;
  markers: number;
  failed: number;
}

const secs = (ts: string | null | undefined): number => tsMs(ts) / 1000;

/** Column order (after x): band upper, band lower, mean, latency of ok probes. With `log`, values <= 0 are left out. */
export function chartData(series: SeriesResponse, log = false): ChartData {
  const points = series.points.filter((p) => Number.isFinite(tsMs(p.ts)));
  const xs = points.map((p) => secs(p.ts));
  const keep = (v: number | null): number | null => (v === null || (log && v <= 0) ? null : v);
  const band = (sign: number) => points.map((p) => (p.mean === null || p.stdev === null ? null : keep(p.mean + sign * series.sigma * p.stdev)));
  const ok = points.map((p) => (p.ok ? keep(p.latency_ms) : null));
  const columns: Columns = [xs, band(1), band(-1), points.map((p) => keep(p.mean)), ok];
  const asked = secs(series.from);
  const range = { from: Number.isFinite(asked) ? Math.max(asked, xs[0] ?? asked) : (xs[0] ?? Number.NaN), to: secs(series.to) };
  const triggers = series.triggers.map((t) => secs(t.ts)).filter(Number.isFinite);
  const recoveries = (series.recoveries ?? []).map((r) => secs(r.ts)).filter(Number.isFinite);
  const incidents = incidentSpans(points, xs, series.sigma, triggers, recoveries, Number.isFinite(range.from) ? range.from : 0);
  const failedRuns = runsOf(xs, points.map((p) => !p.ok));
  return { columns, range, incidents, failedRuns, triggers, points: xs.length, markers: triggers.length, failed: points.filter((p) => !p.ok).length };
}

type Mark = { t: number; kind: 'bad' | 'good' | 'trigger' | 'recovery' };

/**
 * Incidents: from the first failed or anomalous check (score above sigma) before a trigger, or the trigger
 * itself, to the next `recovered` or recovered heal_verify. Bad checks that no trigger followed before a good
 * check are no incident (a probe the confirmation overruled). A recovery before any trigger of the range
 * ends an incident that began before the range (drawn from `rangeFrom`).
 */
export function incidentSpans(points: SeriesPoint[], xs: number[], sigma: number, triggers: number[], recoveries: number[], rangeFrom: number): Span[] {
  const marks: Mark[] = points.map((p, i) => ({ t: xs[i] as number, kind: !p.ok || (p.score !== null && p.score > sigma) ? 'bad' : 'good' }));
  marks.push(...triggers.map((t): Mark => ({ t, kind: 'trigger' })), ...recoveries.map((t): Mark => ({ t, kind: 'recovery' })));
  const order = { bad: 0, trigger: 1, good: 2, recovery: 3 }; // at one time: the check, then its trigger, then a recovery
  marks.sort((a, b) => a.t - b.t || order[a.kind] - order[b.kind]);
  const spans: Span[] = [];
  let open: Span | null = null;
  let firstBad: number | null = null;
  for (const m of marks) {
    if (open === null) {
      if (m.kind === 'bad') firstBad ??= m.t;
      else if (m.kind === 'good') firstBad = null;
      else if (m.kind === 'trigger') spans.push((open = { from: Math.min(firstBad ?? m.t, m.t), to: null }));
      else if (spans.length === 0) spans.push({ from: rangeFrom, to: m.t });
    } else if (m.kind === 'recovery') {
      open.to = m.t;
      open = null;
      firstBad = null;
    }
  }
  return spans;
}

/** Runs of consecutive flagged points, from the first flagged x to the last one of each run; a gap of more than
 * three usual steps between checks (the guard was down) ends a run. */
export function runsOf(xs: number[], flagged: boolean[]): Span[] {
  const maxGap = 3 * usualStep(xs);
  const runs: Span[] = [];
  let run: Span | null = null;
  xs.forEach((x, i) => {
    if (!flagged[i]) return void (run = null);
    if (run === null || x - (run.to ?? x) > maxGap) runs.push((run = { from: x, to: x }));
    else run.to = x;
  });
  return runs;
}

/** The median step between consecutive xs (Infinity with fewer than two). */
function usualStep(xs: number[]): number {
  const steps = xs.slice(1).map((x, i) => x - (xs[i] as number)).sort((a, b) => a - b);
  return steps.length === 0 ? Infinity : (steps[steps.length >> 1] as number);
}
