// The latency chart (uPlot on a canvas): latency, the rolling mean, the ±sigma band around it, failed
// probes and trigger markers. It follows its container's width; data-* attributes say what it drew.
import uPlot from 'uplot';
import type { SeriesResponse } from './api-types.js';
import { chartData } from './chart-data.js';
import { formatLatency } from './format.js';

/** A chart bound to a container element. */
export interface LatencyChart {
  update(series: SeriesResponse): void;
}

const COLORS = { latency: '#1d4ed8', mean: '#475569', band: 'rgba(29, 78, 216, 0.13)', bandEdge: 'rgba(29, 78, 216, 0.35)', failed: '#c2410c', trigger: '#dc2626', axis: '#334155', grid: '#e2e8f0' };

// 24-hour time ticks (uPlot's default is am/pm): [increment, format, year/month/day/hour/min/sec change formats…, mode].
const TIME_TICKS: uPlot.Axis.TimeValuesConfig = [
  [86_400 * 365, '{YYYY}', null, null, null, null, null, null, 1],
  [86_400 * 28, '{MMM}', '\n{YYYY}', null, null, null, null, null, 1],
  [86_400, '{MMM} {D}', '\n{YYYY}', null, null, null, null, null, 1],
  [3600, '{HH}:{mm}', '\n{MMM} {D} {YYYY}', null, '\n{MMM} {D}', null, null, null, 1],
  [60, '{HH}:{mm}', '\n{MMM} {D} {YYYY}', null, '\n{MMM} {D}', null, null, null, 1],
  [1, ':{ss}', '\n{MMM} {D} {YYYY} {HH}:{mm}', null, '\n{MMM} {D} {HH}:{mm}', null, '\n{HH}:{mm}', null, 1],
];

const latencyValue = (_u: uPlot, v: number | null): string => (v === null ? '—' : formatLatency(v));
const noLine = (): null => null;

function seriesOptions(sigma: number): uPlot.Series[] {
  return [
    { label: 'Time', value: '{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}' },
    { label: `mean + ${sigma}σ`, stroke: COLORS.bandEdge, width: 1, value: latencyValue, points: { show: false } },
    { label: `mean − ${sigma}σ`, stroke: COLORS.bandEdge, width: 1, value: latencyValue, points: { show: false } },
    { label: 'mean', stroke: COLORS.mean, width: 1.5, dash: [6, 4], value: latencyValue, points: { show: false } },
    { label: 'latency', stroke: COLORS.latency, width: 2, spanGaps: true, value: latencyValue },
    { label: 'failed probe', stroke: COLORS.failed, paths: noLine, value: latencyValue, points: { show: true, size: 9, fill: COLORS.failed, stroke: COLORS.failed } },
    { label: 'trigger', stroke: COLORS.trigger, paths: noLine, value: latencyValue, points: { show: true, size: 13, width: 2, fill: COLORS.trigger, stroke: '#7f1d1d' } },
  ];
}

function plotOptions(sigma: number, size: { width: number; height: number }, onDraw: () => void): uPlot.Options {
  return {
    ...size,
    series: seriesOptions(sigma),
    bands: [{ series: [1, 2], fill: COLORS.band }],
    scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
    axes: [
      { stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid }, values: TIME_TICKS },
      { stroke: COLORS.axis, grid: { stroke: COLORS.grid }, ticks: { stroke: COLORS.grid }, label: 'latency (ms)', size: 56 },
    ],
    cursor: { drag: { x: true, y: false } },
    hooks: { draw: [onDraw] },
  };
}

function isZoomed(plot: uPlot): boolean {
  const xs = plot.data[0];
  const { min, max } = plot.scales.x ?? {};
  if (xs.length < 2 || min == null || max == null) return false;
  return min > (xs[0] ?? 0) + 1e-3 || max < (xs[xs.length - 1] ?? 0) - 1e-3;
}

/** A chart in `host` (its width) showing `empty` when a range has no checks. */
export function latencyChart(host: HTMLElement, empty: HTMLElement): LatencyChart {
  let plot: uPlot | null = null;
  let sigma = Number.NaN;
  let draws = 0;
  const size = (): { width: number; height: number } => ({ width: Math.max(200, host.clientWidth), height: window.matchMedia('(max-width: 600px)').matches ? 220 : 300 });
  const onDraw = (): void => void (host.dataset.draws = String(++draws));
  new ResizeObserver(() => plot?.setSize(size())).observe(host);
  return {
    update(series) {
      const data = chartData(series);
      if (!plot || series.sigma !== sigma) {
        plot?.destroy();
        sigma = series.sigma;
        plot = new uPlot(plotOptions(sigma, size(), onDraw), data.columns as uPlot.AlignedData, host);
      } else {
        // Keep a zoom the user dragged while new cycles arrive; a new range starts unzoomed.
        plot.setData(data.columns as uPlot.AlignedData, series.range !== host.dataset.range || !isZoomed(plot));
      }
      Object.assign(host.dataset, { points: String(data.points), markers: String(data.markers), failed: String(data.failed), range: series.range, downsampled: String(series.downsampled) });
      empty.hidden = data.points > 0;
    },
  };
}
