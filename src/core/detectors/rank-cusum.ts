// The rank-CUSUM detector: each sample's surprise is −log of its empirical tail probability among the last
// 1000 samples (rank-based, so heavy tails and any monotone scale cost nothing; beyond the window's extreme
// an exponential tail fitted to the top 30 values extends it, on log values for a positive series), or of its seasonal residual when the series
// has a daily/weekly period. A one-sided CUSUM sums the surprise above a drift of 3 nats; it fires at 10,
// then stays disarmed (hysteresis) until the CUSUM has fallen back to 0 and 100 samples have passed, so an
// event flags once and a new normal is absorbed as the window fills with it. O(log window) per sample.
import { orderWindow, type OrderWindow } from './order-window.js';
import { SEASON_LAGS, seasonTracker } from './season.js';
import type { Detector, DetectorOptions, DetectorSpec, DetectorVerdict } from './types.js';

/** The fixed design parameters (chosen once on NAB's development set, never per series). */
export const RANK_CUSUM = {
  window: 1000,
  drift: 3,
  threshold: 10,
  rearm: 100,
  minLevel: 50,
  minSeasonal: 200,
  tail: 30,
  cap: 30,
  minCorr: 0.5,
  forget: 1 / 4000,
} as const;

/** Upward surprise (−log P[X ≥ x]) and downward surprise (−log P[X ≤ x]) of y among the window. */
export function rankSurprise(win: OrderWindow, y: number): { up: number; down: number } {
  const n = win.size;
  const below = win.countBelow(y);
  const atMost = win.countAtMost(y);
  const equal = atMost - below;
  let up = -Math.log((n - atMost + 0.5 * equal + 1) / (n + 1));
  let down = -Math.log((below + 0.5 * equal + 1) / (n + 1));
  const hi = win.kth(n - 1);
  const lo = win.kth(0);
  if (y > hi) up += beyond(win, y, n - 1, n - 1 - Math.min(RANK_CUSUM.tail, n - 1));
  if (y < lo) down += beyond(win, y, 0, Math.min(RANK_CUSUM.tail, n - 1));
  return { up: Math.min(up, RANK_CUSUM.cap), down: Math.min(down, RANK_CUSUM.cap) };
}

/**
 * Extra surprise beyond the window's extreme (order statistic `edge`): an exponential tail whose scale is
 * the spacing from the `inner` order statistic over log(m + 1) — on log values when the window is positive
 * (latency: multiplicative jitter), else on the values.
 */
function beyond(win: OrderWindow, y: number, edge: number, inner: number): number {
  const positive = win.kth(0) > 0 && y > 0;
  const f = positive ? Math.log : (v: number) => v;
  const m = Math.abs(edge - inner);
  const spread = positive ? 1e-3 : Math.max(win.quantile(0.75) - win.quantile(0.25), 1e-3 * Math.abs(win.quantile(0.5)), 1e-9) * 1e-3;
  const scale = Math.max(Math.abs(f(win.kth(edge)) - f(win.kth(inner))) / Math.log(m + 1), spread);
  return Math.abs(f(y) - f(win.kth(edge))) / scale;
}

/** Per-sample surprise from the level window, or from the seasonal residual window once it is ready. */
export function surpriseModel() {
  const level = orderWindow(RANK_CUSUM.window);
  const residual = orderWindow(RANK_CUSUM.window);
  const season = seasonTracker(SEASON_LAGS, RANK_CUSUM.minCorr, RANK_CUSUM.forget);
  return {
    level,
    season,
    /** Scores y, then learns it. */
    score(y: number): { up: number; down: number } {
      const lag = season.lag();
      const res = lag === null ? null : y - season.back(lag);
      let s = level.size >= RANK_CUSUM.minLevel ? rankSurprise(level, y) : { up: 0, down: 0 };
      if (res !== null && residual.size >= RANK_CUSUM.minSeasonal) s = rankSurprise(residual, res);
      level.push(y);
      season.push(y);
      if (res !== null) residual.push(res);
      return s;
    },
  };
}

/** The median and IQR-based spread of the level window (the verdict's mean and stdev), null before it is ready. */
export function levelFigures(level: OrderWindow): { mean: number | null; stdev: number | null } {
  if (level.size < RANK_CUSUM.minLevel) return { mean: null, stdev: null };
  return { mean: level.quantile(0.5), stdev: (level.quantile(0.75) - level.quantile(0.25)) / 1.349 };
}

/**
 * The CUSUM with drift and re-arm: sums the surprise above `drift`, fires at `threshold`, then stays
 * disarmed until the sum is back to 0 and `rearm` samples have passed. Returns the score and the decision.
 */
export function cusumAlarm(twoSided: boolean) {
  const { drift, threshold, rearm } = RANK_CUSUM;
  let up = 0;
  let down = 0;
  let armed = true;
  let quiet = 0;
  return (s: { up: number; down: number }): { score: number; anomaly: boolean } => {
    up = Math.max(0, up + s.up - drift);
    down = Math.max(0, down + s.down - drift);
    const c = twoSided ? Math.max(up, down) : up;
    let anomaly = false;
    if (armed && c >= threshold) [anomaly, armed, quiet] = [true, false, rearm];
    else if (!armed && --quiet <= 0 && c === 0) armed = true;
    return { score: (c / (c + threshold)) * (anomaly || armed ? 1 : 0.5), anomaly };
  };
}

/** An alarm: turns each sample's surprise (and the sample itself) into the detector's score and decision. */
export type SurpriseAlarm = (s: { up: number; down: number }, x: number) => { score: number; anomaly: boolean };

/** A detector from a surprise model: the model's surprise goes through the alarm (by default the CUSUM);
 * z, mean and stdev come from the model's level window. */
export function cusumDetector(
  model: { level: OrderWindow; score(x: number): { up: number; down: number } },
  twoSided: boolean,
  alarm: SurpriseAlarm = cusumAlarm(twoSided),
): Detector {
  return {
    update(x: number): DetectorVerdict {
      const { mean, stdev } = levelFigures(model.level);
      const { score, anomaly } = alarm(model.score(x), x);
      const z = mean === null || stdev === null ? null : (x - mean) / Math.max(stdev, 1e-9);
      return { score, anomaly, z, mean, stdev };
    },
  };
}

/** The rank-CUSUM detector; `twoSided` also flags drops (NAB labels both directions; latency cares about rises). */
export function rankCusumDetector(_opts: DetectorOptions, twoSided = false): Detector {
  return cusumDetector(surpriseModel(), twoSided);
}

/** Warmup: the seasonal memory (autocorrelation ≈ 4000 samples, plus a week back) covers the windows. */
const warmup = (): number => 6000;

/** The registry entry: upward only, for latency. */
export const RANK_CUSUM_SPEC: DetectorSpec = {
  name: 'rank-cusum',
  summary: 'rank-based surprise (seasonal when a daily/weekly period is found) summed by a CUSUM; flags a rise once per event',
  create: (opts) => rankCusumDetector(opts, false),
  warmup,
  tunedBy: [], // its own 1000-sample window and CUSUM threshold
};

/** The registry entry: both directions (general series such as NAB). */
export const RANK_CUSUM_2S_SPEC: DetectorSpec = {
  name: 'rank-cusum-2s',
  summary: 'rank-cusum that also flags drops (for series where a fall is as anomalous as a rise)',
  create: (opts) => rankCusumDetector(opts, true),
  warmup,
  tunedBy: [], // its own 1000-sample window and CUSUM threshold
};
