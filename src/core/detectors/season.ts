// Learns a daily/weekly period from the sequence alone: autocorrelation at a fixed set of candidate lags
// (exponentially forgotten running sums, O(lags) per sample) and a ring of the values one period back.
// Timestamps are not used: the candidates cover day and week at 5, 10, 15, 30 and 60-minute steps.

/** Candidate lags in samples, ascending: a day and a week at the usual sampling steps. */
export const SEASON_LAGS: readonly number[] = [24, 48, 96, 144, 168, 288, 336, 1008, 2016];

/** The seasonal state: the best lag so far and the value one lag back. */
export interface SeasonTracker {
  /** The candidate lag with the highest autocorrelation above the bar, or null. */
  lag(): number | null;
  /** The value `lag` samples before the next one (valid once that many were pushed). */
  back(lag: number): number;
  push(x: number): void;
}

/** Creates a tracker; a lag counts once its autocorrelation exceeds `minCorr` over `2·lag` samples. */
export function seasonTracker(lags: readonly number[], minCorr: number, forget: number): SeasonTracker {
  const maxLag = Math.max(...lags);
  const ring = new Float64Array(maxLag + 1);
  const sxy = new Float64Array(lags.length);
  const sback = new Float64Array(lags.length);
  let origin: number | null = null; // sums are of x − origin (the first value), against cancellation
  let sx = 0;
  let sxx = 0;
  let w = 0;
  let count = 0;
  const back = (lag: number): number => ring[(count - lag + 2 * ring.length) % ring.length] as number;
  return {
    lag() {
      if (w === 0) return null;
      const mean = sx / w;
      const variance = sxx / w - mean * mean;
      if (!(variance > 1e-12 * (mean * mean + (origin as number) ** 2 + 1))) return null;
      const corr = lags.map((lag, j) => (count <= 2 * lag ? -1 : ((sxy[j] as number) / w - (mean * (sback[j] as number)) / w) / variance));
      const top = Math.max(...corr);
      if (!(top > minCorr)) return null;
      // The shortest lag within 0.1 of the best: a day rather than the week it divides, and a stable choice.
      const best = lags.find((_, j) => (corr[j] as number) >= top - 0.1);
      return best ?? null;
    },
    back,
    push(value) {
      origin ??= value;
      const x = value - origin;
      const a = 1 - forget;
      sx = a * sx + x;
      sxx = a * sxx + x * x;
      w = a * w + 1;
      lags.forEach((lag, j) => {
        const b = count >= lag ? back(lag) - (origin as number) : x;
        sxy[j] = a * (sxy[j] as number) + x * b;
        sback[j] = a * (sback[j] as number) + b;
      });
      ring[count % ring.length] = value;
      count += 1;
    },
  };
}
