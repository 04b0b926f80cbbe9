// A small ensemble of cheap one-step forecasters for the predictive detector: last value, a fast and a
// slow EWMA, and seasonal-naive (the value one learnt period back). Each is judged by the exponentially
// weighted mean of its absolute error; the best one forecasts. O(1) per sample, constant memory.

/** Which forecaster is which (index into the ensemble). */
const LAST = 0;
const FAST = 1;
const SLOW = 2;
const SEASON = 3;
const COUNT = 4;

/** The ensemble's forecast for the next value. */
export interface Forecast {
  /** The best forecaster's prediction (NaN before the first value). */
  value: number;
  /** Best judged error of a reactive forecaster (last, fast, seasonal) over the slow EWMA's: < 1 = predictable. */
  gain: number;
}

/** The ensemble: `forecast` before a value, `learn` after it (in that order, once per value). */
export interface Forecasters {
  forecast(seasonBack: number | null): Forecast;
  learn(x: number): void;
}

/** Creates the ensemble: EWMA weights `fast` and `slow`, errors judged with weight `judge` (≈ 1/judge samples). */
export function forecasters(fast: number, slow: number, judge: number): Forecasters {
  const preds = new Float64Array(COUNT).fill(Number.NaN);
  const errSum = new Float64Array(COUNT); // exponentially weighted sums of |error| and of weights:
  const wSum = new Float64Array(COUNT); //   their ratio is the bias-free mean |error|
  let last = Number.NaN;
  let fastMean = Number.NaN;
  let slowMean = Number.NaN;
  const judged = (i: number): number => ((wSum[i] as number) > 0 && Number.isFinite(preds[i] as number) ? (errSum[i] as number) / (wSum[i] as number) : Infinity);
  return {
    forecast(seasonBack) {
      preds[LAST] = last;
      preds[FAST] = fastMean;
      preds[SLOW] = slowMean;
      preds[SEASON] = seasonBack ?? Number.NaN;
      let best = LAST;
      for (let i = 0; i < COUNT; i++) if (judged(i) < judged(best)) best = i;
      const reactive = Math.min(judged(LAST), judged(FAST), judged(SEASON));
      const gain = reactive / Math.max(judged(SLOW), 1e-300);
      return { value: preds[best] as number, gain: Number.isNaN(gain) ? Infinity : gain };
    },
    learn(x) {
      for (let i = 0; i < COUNT; i++) {
        const p = preds[i] as number;
        if (!Number.isFinite(p)) continue;
        errSum[i] = (1 - judge) * (errSum[i] as number) + judge * Math.abs(x - p);
        wSum[i] = (1 - judge) * (wSum[i] as number) + judge;
      }
      last = x;
      fastMean = Number.isNaN(fastMean) ? x : fastMean + fast * (x - fastMean);
      slowMean = Number.isNaN(slowMean) ? x : slowMean + slow * (x - slowMean);
    },
  };
}
