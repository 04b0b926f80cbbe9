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
  /** Which of `latency.window` and `latency.sigma` it reads (replay tries other values of these only). */
  tunedBy: readonly ('window' | 'sigma')[];
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/**
 * −log P[Z ≥ z] for a standard normal Z, in nats, accurate far into the tail (via the complementary error
 * function's Chebyshev fit, relative error < 1.2e-7 everywhere); 0 for z ≤ 0.
 */
export function normalTailNats(z: number): number {
  if (!(z > 0)) return 0;
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.LN2 - Math.log(t) + x * x - poly; // P = erfc(x) / 2, erfc(x) = t · exp(−x² + poly)
}

/** Maps an upward z-score to [0, 1]: 0 for z ≤ 0, 2·Φ(z) − 1 above (z = 3 → 0.9973). */
export function zToScore(z: number | null): number {
  if (z === null || !(z > 0)) return 0;
  return Math.min(1, Math.max(0, 2 * normalCdf(z) - 1));
}
