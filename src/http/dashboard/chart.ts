// The latency chart (uPlot on a canvas): latency of ok probes, the rolling mean and the ±sigma band around
// it, on a linear or a log axis; incidents shaded under it and a row of failed probes and triggers below it
// (chart-marks.ts). It shows the whole range asked for and follows its container's width; data-* attributes
// say what it drew (the axis labels included, as drawn).
import uPlot from 'uplot';
import type { SeriesResponse } from './api-types.js';
import { chartData, type ChartData } from './chart-data.js';
import { drawMarks, markerRow } from './chart-marks.js';
import { formatLatency } from './format.js';
import { TIME_INCRS, timeLabels, timeSpace } from './time-axis.js';

/** A chart bound to a container element. */
export interface LatencyChart {
  update(series: SeriesResponse): void;
  /** Redraws the latency axis as a log (true) or linear scale. */
  setLog(log: boolean): void;
}

const COLORS = { latency: '#1d4ed8', mean: '#475569', band: 'rgba(29, 78, 216, 0.13)', bandEdge: 'rgba(29, 78, 216, 0.35)', axis: '#334155', grid: '#e2e8f0' };

const latencyValue = (_u: uPlot, v: number | null): string => (v === null ? '—' : formatLatency(v));

function seriesOptions(sigma: number): uPlot.Series[] {
  return [
    { label: 'Time', value: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' },
    { label: `mean + ${sigma}σ`, stroke: COLORS.bandEdge, width: 1, value: latencyValue, points: { show: false } },
    { label: `mean − ${sigma}σ`, stroke: COLORS.bandEdge, width: 1, value: latencyValue, points: { show: false } },
    { label: 'mean', stroke: COLORS.mean, width: 1.5, dash: [6, 4], value: latencyValue, points: { show: false } },
    { label: 'latency', stroke: COLORS.latency, width: 2, spanGaps: true, value: latencyValue },
  ];
}

// The latency scale: linear from 0, or log 10 over whole decades.
function yScale(log: boolean): uPlot.Scale {
  if (log) return { distr: 3, log: 10, range: (_u, min, max) => uPlot.rangeLog(min > 0 ? min : 1, max > 0 ? max : 10, 10, true) };
  return { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] };
}

/** Labels a values function returned, kept on the host as drawn (`data-x-labels`, `data-y-ticks`). */
function recorded(host: HTMLElement, key: 'xLabels' | 'yTicks', labels: (string | number | null)[]): void {
  host.dataset[key] = JSON.stringify(labels);
}

function plotOptions(host: HTMLElement, sigma: number, log: boolean, size: { width: number; height: number }, onDraw: (u: uPlot) => void): uPlot.Options {
  const xValues = (_u: uPlot, splits: number[], _a: number, _s: number, incr: number): string[] => {
    const labels = timeLabels(splits, incr);
    recorded(host, 'xLabels', labels);
    return labels;
  };
  const yValues = (u: uPlot, splits: number[]): string[] => {
    recorded(host, 'yTicks', splits);
    return splits.map((v) => (v == null ? '' : uPlot.fmtNum(v)));
  };
  const axis = { stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid } };
  return {
    ...size,
    series: seriesOptions(sigma),
    bands: [{ series: [1, 2], fill: COLORS.band }],
    scales: { y: yScale(log) },
    axes: [
      { ...axis, values: xValues, incrs: TIME_INCRS, space: timeSpace, size: 52 },
      { ...axis, values: yValues, label: log ? 'latency (ms, log scale)' : 'latency (ms)', size: 60 },
    ],
    cursor: { drag: { x: true, y: false } },
    hooks: { draw: [onDraw] },
  };
}

/** A chart in `host` (its width) showing `empty` when a range has no checks. */
export function latencyChart(host: HTMLElement, empty: HTMLElement, initialLog = false): LatencyChart {
  let plot: uPlot | null = null;
  let series: SeriesResponse | null = null;
  let data: ChartData | null = null;
  let log = initialLog;
  let draws = 0;
  const row = markerRow();
  const size = (): { width: number; height: number } => ({ width: Math.max(200, host.clientWidth), height: window.matchMedia('(max-width: 600px)').matches ? 220 : 300 });
  const onDraw = (u: uPlot): void => {
    if (data) drawMarks(u, row, data);
    host.dataset.draws = String(++draws);
  };
  const zoomed = (): boolean => {
    const { min, max } = plot?.scales.x ?? {};
    return data !== null && min != null && max != null && (min > data.range.from + 1e-3 || max < data.range.to - 1e-3);
  };
  // The whole range asked for, not just the span of its checks (so a young log does not zoom into seconds).
  const showRange = (): void => {
    if (plot && data && Number.isFinite(data.range.from) && Number.isFinite(data.range.to)) plot.setScale('x', { min: data.range.from, max: data.range.to });
  };
  const build = (): void => {
    if (!series) return;
    plot?.destroy();
    plot = new uPlot(plotOptions(host, series.sigma, log, size(), onDraw), (data as ChartData).columns as uPlot.AlignedData, host);
    host.querySelector('.u-wrap')?.after(row);
    showRange();
  };
  new ResizeObserver(() => plot?.setSize(size())).observe(host);
  const describe = (): void => {
    const d = data as ChartData;
    Object.assign(host.dataset, { points: String(d.points), markers: String(d.markers), failed: String(d.failed), incidents: String(d.incidents.length), view: `${d.range.from},${d.range.to}`, range: series?.range, downsampled: String(series?.downsampled), scale: log ? 'log' : 'linear' });
    empty.hidden = d.points > 0;
  };
  return {
    update(next) {
      const rebuild = !plot || !series || next.sigma !== series.sigma;
      // Keep a zoom the user dragged while new cycles arrive; a new range starts unzoomed.
      const keepZoom = !rebuild && next.range === series?.range && zoomed();
      series = next;
      data = chartData(next, log);
      describe();
      if (rebuild) return build();
      plot?.setData(data.columns as uPlot.AlignedData, !keepZoom);
      if (!keepZoom) showRange();
    },
    setLog(on) {
      log = on;
      if (!series) return;
      data = chartData(series, log);
      describe();
      build();
    },
  };
}
