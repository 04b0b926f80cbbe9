// The latency detector interface: a streaming model that scores one sample at a time. Pure: no I/O, no
// clock; its state is rebuilt by replaying the recent latencies from the log.

/** What a detector says about one sample. */
export interface DetectorVerdict {
  /** How anomalous the sample is, in [0, 1]; monotonic in how unusual it is (higher = more anomalous). */
  score: number;
  /** The detector's own decision at its configured sensitivity (before confirmation and the heal budget). */
  anomaly: boolean;
  /** The seed's figures when the detector has them (z-score, baseline mean and stdev in ms). */
  z: number | null;
  mean: number | null;
  stdev: number | null;
}

/** A streaming detector: `update` scores x against what it has seen, then learns from x. */
export interface Detector {
  update(x: number): DetectorVerdict;
}

/** The latency settings every detector receives. */
export interface DetectorOptions {
  window: number;
  sigma: number;
  minSamples: number;
  minStdevMs: number;
}

/** A named detector. */
export interface DetectorSpec {
  name: string;
  summary: string;
  create(opts: DetectorOptions): Detector;
  /** How many recent ok latencies rebuild its state (they are replayed through update, oldest first). */
  warmup(opts: DetectorOptions): number;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Maps an upward z-score to [0, 1]: 0 for z ≤ 0, 2·Φ(z) − 1 above (z = 3 → 0.9973). */
export function zToScore(z: number | null): number {
  if (z === null || !(z > 0)) return 0;
  return Math.min(1, Math.max(0, 2 * normalCdf(z) - 1));
}
