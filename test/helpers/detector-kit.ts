// What the latency detector tests share: seeded sources (mulberry32, Box–Muller), running a detector over a
// series, and the check that a detector's memory stays constant while its score stays in [0, 1] and rises
// with the size of a rise.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect } from 'vitest';
import type { DetectorSpec, DetectorVerdict } from '../../src/core/detectors/types.js';

/** The latency settings every detector test passes (the config's defaults). */
export const DETECTOR_OPTS = { window: 50, sigma: 3, minSamples: 10, minStdevMs: 0.5 };

/** A seeded uniform source in [0, 1) (mulberry32). */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded standard normal source (Box–Muller on `uniform`). */
export function normal(seed: number): () => number {
  const u = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** n samples of healthy lognormal latency: median 40 ms, log-spread `sigma`. */
export function healthyLatency(n: number, seed = 1, sigma = 0.3): number[] {
  const g = normal(seed);
  return Array.from({ length: n }, () => 40 * Math.exp(sigma * g()));
}

/** The detector's verdict for every sample of `xs`, in order. */
export function runDetector(spec: DetectorSpec, xs: readonly number[]): DetectorVerdict[] {
  const d = spec.create(DETECTOR_OPTS);
  return xs.map((x) => d.update(x));
}

/** The indices of the flagged samples. */
export const flagsAt = (vs: readonly { anomaly: boolean }[]): number[] => vs.flatMap((v, i) => (v.anomaly ? [i] : []));

/** 80,000 samples cost under 1 MB of heap after warm-up; scores stay in [0, 1] and rise with a jump's size. */
export function expectConstantMemoryAndRisingScore(spec: DetectorSpec): void {
  const d = spec.create(DETECTOR_OPTS);
  const gen = healthyLatency(80_000, 9);
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as () => void;
  let [lo, hi, at] = [1, 0, 0];
  const heapAfter = (n: number): number => {
    for (const x of gen.slice(at, (at += n))) {
      const { score } = d.update(x);
      [lo, hi] = [Math.min(lo, score), Math.max(hi, score)];
    }
    gc();
    return process.memoryUsage().heapUsed;
  };
  const first = heapAfter(20_000);
  expect(heapAfter(60_000) - first).toBeLessThan(1_000_000);
  expect(lo).toBeGreaterThanOrEqual(0);
  expect(hi).toBeLessThanOrEqual(1);
  const probe = (jump: number): number => {
    const e = spec.create(DETECTOR_OPTS);
    healthyLatency(1200, 4).forEach((x) => e.update(x));
    return e.update(40 * jump).score;
  };
  const scores = [1, 1.5, 2, 3, 5, 10].map(probe);
  expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  expect(scores[5]).toBeGreaterThan(0.5);
}
