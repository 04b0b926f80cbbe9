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

// Welford's running mean and sum of squared deviations of the values added so far.
interface Moments {
  count: number;
  mean: number;
  m2: number;
}

// Welford's update: one more value.
function addValue(s: Moments, x: number): void {
  s.count += 1;
  const d = x - s.mean;
  s.mean += d / s.count;
  s.m2 += d * (x - s.mean);
}

const sampleStdev = (s: Moments): number | null => (s.count < 2 ? null : Math.sqrt(Math.max(0, s.m2 / (s.count - 1))));

// The baseline of these moments: null figures below max(2, minSamples) values.
function baselineOf(s: Moments, minSamples: number): Baseline {
  return s.count < Math.max(2, minSamples) ? { n: s.count, mean: null, stdev: null } : { n: s.count, mean: s.mean, stdev: sampleStdev(s) };
}

/** The running statistics of the last `size` values pushed: mean and sum of squared deviations over a ring. */
export function rollingStats(size: number) {
  const ring = new Float64Array(size);
  const s: Moments = { count: 0, mean: 0, m2: 0 };
  let head = 0;
  return {
    get n() {
      return s.count;
    },
    mean: () => (s.count === 0 ? null : s.mean),
    stdev: () => sampleStdev(s),
    /** The baseline of what the ring holds: null figures below max(2, minSamples) values. */
    baseline: (minSamples: number): Baseline => baselineOf(s, minSamples),
    push(x: number): void {
      if (s.count < size) addValue(s, x); // while the ring fills
      else {
        const old = ring[head] as number; // the oldest value leaves as x enters
        const oldMean = s.mean;
        s.mean += (x - old) / size;
        s.m2 += (x - old) * (x - s.mean + old - oldMean);
      }
      ring[head] = x;
      head = (head + 1) % size;
    },
  };
}

/** Computes the baseline of a latency window: the same update as the ring's while it fills, without a ring (every
 * cycle computes one, and a ring is a typed array with its buffer outside the heap). */
export function computeBaseline(window: readonly number[], minSamples: number): Baseline {
  const s: Moments = { count: 0, mean: 0, m2: 0 };
  for (const x of window) addValue(s, x);
  return baselineOf(s, minSamples);
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
