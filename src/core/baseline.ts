// The seed's latency statistics: mean and sample standard deviation of the window, and the z-score.
import { roundMs, roundOrNull } from './format.js';

/** Mean and sample stdev (n − 1) of the window; null figures while it holds fewer than minSamples. */
export interface Baseline {
  n: number;
  mean: number | null;
  stdev: number | null;
}

/** Computes the baseline of a latency window with Welford's update (numerically stable, one pass). */
export function computeBaseline(window: readonly number[], minSamples: number): Baseline {
  let n = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of window) {
    n += 1;
    const delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }
  if (n < Math.max(2, minSamples)) return { n, mean: null, stdev: null };
  return { n, mean, stdev: Math.sqrt(m2 / (n - 1)) };
}

/** score = (latency − mean) / max(stdev, minStdevMs); null without a baseline or for a failed probe. */
export function zScore(latencyMs: number, ok: boolean, baseline: Baseline, minStdevMs: number): number | null {
  if (!ok || baseline.mean === null || baseline.stdev === null) return null;
  const spread = Math.max(baseline.stdev, minStdevMs);
  if (spread === 0) return latencyMs === baseline.mean ? 0 : null;
  return (latencyMs - baseline.mean) / spread;
}

/** The baseline as status and the API show it (ms, rounded): n, mean, stdev and the latency above which a check is an anomaly. */
export function baselineSummary(window: readonly number[], s: { minSamples: number; minStdevMs: number; sigma: number }) {
  const b = computeBaseline(window, s.minSamples);
  const spread = b.stdev === null ? null : Math.max(b.stdev, s.minStdevMs);
  const threshold = b.mean === null || spread === null ? null : b.mean + s.sigma * spread;
  return { n: b.n, mean: roundOrNull(b.mean, roundMs), stdev: roundOrNull(b.stdev, roundMs), threshold_ms: roundOrNull(threshold, roundMs) };
}
