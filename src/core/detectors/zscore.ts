// The seed's detector: z-score against the rolling mean and sample stdev of the last `window` samples;
// an anomaly when z > sigma. Constant memory, O(1) per sample (running sums over a ring buffer).
import type { Detector, DetectorOptions, DetectorSpec, DetectorVerdict } from './types.js';
import { zToScore } from './types.js';

/** A ring buffer of the last `size` values with their running mean and sum of squared deviations. */
export function rollingStats(size: number) {
  const ring = new Float64Array(size);
  let count = 0;
  let head = 0;
  let mean = 0;
  let m2 = 0;
  return {
    get n() {
      return count;
    },
    mean: () => (count === 0 ? null : mean),
    stdev: () => (count < 2 ? null : Math.sqrt(Math.max(0, m2 / (count - 1)))),
    push(x: number): void {
      if (count < size) {
        count += 1;
        const d = x - mean;
        mean += d / count;
        m2 += d * (x - mean);
      } else {
        const old = ring[head] as number;
        const oldMean = mean;
        mean += (x - old) / size;
        m2 += (x - old) * (x - mean + old - oldMean);
      }
      ring[head] = x;
      head = (head + 1) % size;
    },
  };
}

/** The seed's rolling z-score detector. */
export function zscoreDetector(opts: DetectorOptions): Detector {
  const stats = rollingStats(opts.window);
  return {
    update(x: number): DetectorVerdict {
      const ready = stats.n >= Math.max(2, opts.minSamples);
      const mean = ready ? stats.mean() : null;
      const stdev = ready ? stats.stdev() : null;
      const spread = stdev === null ? 0 : Math.max(stdev, opts.minStdevMs);
      const z = mean === null || stdev === null || spread === 0 ? null : (x - mean) / spread;
      stats.push(x);
      return { score: zToScore(z), anomaly: z !== null && z > opts.sigma, z, mean, stdev };
    },
  };
}

/** The registry entry of the seed detector. */
export const ZSCORE: DetectorSpec = {
  name: 'zscore',
  summary: "the seed's rule: z-score against the rolling mean and sample stdev of the last `window` samples; anomaly when z > sigma",
  create: zscoreDetector,
  warmup: (opts) => opts.window,
  tunedBy: ['window', 'sigma'],
};
