// The predictive detector: rank-cusum's surprise of the raw value, and the surprise of the prediction
// error of a small forecaster ensemble (last value, fast and slow EWMA, seasonal-naive; the best by recent
// mean |error| forecasts), ranked among the last 1000 errors (on log values for a positive series). The
// error's surprise counts in full when the series is predictable (a reactive forecaster's mean |error| below
// the slow EWMA's), else less 3 nats (on noise it only repeats the raw surprise). The larger of the two
// goes into rank-cusum's CUSUM (drift 3, fires at 10, re-arm 100). O(log 1000) per sample, constant memory.
import { forecasters } from './forecasters.js';
import { orderWindow } from './order-window.js';
import { cusumDetector, rankSurprise, surpriseModel } from './rank-cusum.js';
import type { Detector, DetectorOptions, DetectorSpec } from './types.js';

/** The fixed design parameters (chosen once on NAB's development set, never per series). */
export const PREDICTIVE = {
  errors: 1000,
  minErrors: 50,
  fast: 0.5,
  slow: 0.05,
  judge: 0.005,
  gate: 1,
  penalty: 3,
} as const;

/** The prediction error: a log ratio when value, forecast and the level window are positive, else a difference. */
function predictionError(x: number, forecast: number, levelMin: number): number {
  return x > 0 && forecast > 0 && levelMin > 0 ? Math.log(x / forecast) : x - forecast;
}

/** The per-sample surprise: the larger of the raw value's and the (gated) prediction error's, per direction. */
export function predictiveSurprise() {
  const model = surpriseModel();
  const errors = orderWindow(PREDICTIVE.errors);
  const ensemble = forecasters(PREDICTIVE.fast, PREDICTIVE.slow, PREDICTIVE.judge);
  return {
    level: model.level,
    score(x: number): { up: number; down: number } {
      const lag = model.season.lag();
      const f = ensemble.forecast(lag === null ? null : model.season.back(lag));
      const e = Number.isFinite(f.value) ? predictionError(x, f.value, model.level.size > 0 ? model.level.kth(0) : 0) : Number.NaN;
      const raw = model.score(x);
      const err = Number.isFinite(e) && errors.size >= PREDICTIVE.minErrors ? rankSurprise(errors, e) : { up: 0, down: 0 };
      const pen = f.gain < PREDICTIVE.gate ? 0 : PREDICTIVE.penalty;
      if (Number.isFinite(e)) errors.push(e);
      ensemble.learn(x);
      return { up: Math.max(raw.up, err.up - pen), down: Math.max(raw.down, err.down - pen) };
    },
  };
}

/** The predictive detector; `twoSided` also flags drops (NAB labels both directions; latency cares about rises). */
export function predictiveDetector(_opts: DetectorOptions, twoSided = false): Detector {
  return cusumDetector(predictiveSurprise(), twoSided);
}

/** The registry entry: upward only, for latency. */
export const PREDICTIVE_SPEC: DetectorSpec = {
  name: 'predictive',
  summary: 'rank-cusum that also scores the surprise of a forecaster ensemble’s prediction error; flags a rise once per event',
  create: (opts) => predictiveDetector(opts, false),
  warmup: () => 6000,
  tunedBy: [], // its own fixed windows and threshold
};

/** The registry entry: both directions (general series such as NAB). */
export const PREDICTIVE_2S_SPEC: DetectorSpec = {
  name: 'predictive-2s',
  summary: 'predictive that also flags drops (for series where a fall is as anomalous as a rise)',
  create: (opts) => predictiveDetector(opts, true),
  warmup: () => 6000,
  tunedBy: [], // its own fixed windows and threshold
};
