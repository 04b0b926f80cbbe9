// The seed's latency statistics and its z-score rule, in one place: the mean and sample standard deviation
// of the last `window` latencies (kept with Welford's update, O(1) per sample over a ring), and
// score = (latency − mean) / max(stdev, min_stdev). The check's logged score and the zscore detector (score,
// replay) both compute it here.
import { roundMs, roundOrNull } from './format.js';

/** Mean and sample stdev (n − 1) of the window; null figures while it holds fewer than minSamples. */
export interface Baseline {
  n: number;
  mean: number | null;
  stdev: number | null;
}

/** The running statistics of the last `size` values pushed: mean and sum of squared deviations over a ring. */
export function rollingStats(size: number) {
  const ring = new Float64Array(size);
  let count = 0;
  let head = 0;
  let mean = 0;
  let m2 = 0;
  const stdev = (): number | null => (count < 2 ? null : Math.sqrt(Math.max(0, m2 / (count - 1))));
  return {
    get n() {
      return count;
    },
    mean: () => (count === 0 ? null : mean),
    stdev,
    /** The baseline of what the ring holds: null figures below max(2, minSamples) values. */
    baseline: (minSamples: number): Baseline => (count < Math.max(2, minSamples) ? { n: count, mean: null, stdev: null } : { n: count, mean, stdev: stdev() }),
    push(x: number): void {
      if (count < size) {
        count += 1; // Welford's update while the ring fills
        const d = x - mean;
        mean += d / count;
        m2 += d * (x - mean);
      } else {
        const old = ring[head] as number; // the oldest value leaves as x enters
        const oldMean = mean;
        mean += (x - old) / size;
        m2 += (x - old) * (x - mean + old - oldMean);
      }
      ring[head] = x;
      head = (head + 1) % size;
    },
  };
}

/** Computes the baseline of a latency window: one pass of the same update (Welford's, as the ring fills), without a
 * ring: every cycle computes one, and a ring is a typed array with its buffer outside the heap. */
export function computeBaseline(window: readonly number[], minSamples: number): Baseline {
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (const x of window) {
    count += 1;
    const d = x - mean;
    mean += d / count;
    m2 += d * (x - mean);
  }
  if (count < Math.max(2, minSamples)) return { n: count, mean: null, stdev: null };
  return { n: count, mean, stdev: Math.sqrt(Math.max(0, m2 / (count - 1))) };
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
