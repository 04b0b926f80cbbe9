// The seed's detector: z-score against the rolling mean and sample stdev of the last `window` samples;
// an anomaly when z > sigma. The statistics and the score are baseline.ts's (the rule the check logs),
// kept over a ring: constant memory, O(1) per sample.
import { rollingStats, zScore } from '../baseline.js';
import type { Detector, DetectorOptions, DetectorSpec, DetectorVerdict } from './types.js';
import { zToScore } from './types.js';

/** The seed's rolling z-score detector. */
export function zscoreDetector(opts: DetectorOptions): Detector {
  const stats = rollingStats(opts.window);
  return {
    update(x: number): DetectorVerdict {
      const b = stats.baseline(opts.minSamples);
      const z = zScore(x, true, b, opts.minStdevMs);
      stats.push(x);
      return { score: zToScore(z), anomaly: z !== null && z > opts.sigma, z, mean: b.mean, stdev: b.stdev };
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
