import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { RANK_CUSUM_2S_SPEC, RANK_CUSUM_SPEC } from './rank-cusum.js';
import { DETECTORS } from './registry.js';
import type { DetectorSpec } from './types.js';

const OPTS = { window: 50, sigma: 3, minSamples: 10, minStdevMs: 0.5 };

// mulberry32 and Box–Muller: a seeded lognormal latency source.
function lognormal(seed: number, median: number, sigma: number): () => number {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => median * Math.exp(sigma * Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u()));
}

function run(spec: DetectorSpec, xs: readonly number[]) {
  const d = spec.create(OPTS);
  return xs.map((x) => d.update(x));
}
const flagsAt = (vs: { anomaly: boolean }[]): number[] => vs.flatMap((v, i) => (v.anomaly ? [i] : []));

describe('rank-cusum detector', () => {
  const healthy = (n: number, seed = 1): number[] => Array.from({ length: n }, lognormal(seed, 40, 0.3));

  it('flags a clear spike once, at the spike', () => {
    const xs = healthy(1500);
    xs[1200] = 400;
    expect(flagsAt(run(RANK_CUSUM_SPEC, xs))).toEqual([1200]);
  });

  it('flags a level shift once, then absorbs the new normal', () => {
    const xs = healthy(4000);
    for (let i = 1500; i < xs.length; i++) xs[i] = (xs[i] as number) * 3;
    const flags = flagsAt(run(RANK_CUSUM_SPEC, xs));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toBeGreaterThanOrEqual(1500);
    expect(flags[0]).toBeLessThan(1504);
  });

  it('ignores a fall in latency; the two-sided variant flags it', () => {
    const xs = healthy(2000);
    for (let i = 1500; i < xs.length; i++) xs[i] = (xs[i] as number) / 3;
    expect(flagsAt(run(RANK_CUSUM_SPEC, xs))).toEqual([]);
    expect(flagsAt(run(RANK_CUSUM_2S_SPEC, xs))).toHaveLength(1);
  });

  it('never flags 20,000 samples of healthy lognormal latency (fixed seeds)', () => {
    for (const seed of [1, 2]) expect(flagsAt(run(RANK_CUSUM_SPEC, healthy(20_000, seed)))).toEqual([]);
  });

  it('rebuilt from its warmup samples, gives the continuous run verdicts', () => {
    const xs = Array.from({ length: 9000 }, lognormal(5, 40, 0.15)).map((x, i) => x * (1 + 0.5 * Math.sin((2 * Math.PI * i) / 288)));
    for (let i = 8000; i < 8010; i++) xs[i] = (xs[i] as number) * 4;
    const full = run(RANK_CUSUM_SPEC, xs);
    const start = 7900 - RANK_CUSUM_SPEC.warmup(OPTS);
    const replay = RANK_CUSUM_SPEC.create(OPTS);
    xs.slice(start, 7900).forEach((x) => replay.update(x));
    const tail = xs.slice(7900).map((x) => replay.update(x));
    expect(flagsAt(tail).map((i) => i + 7900)).toEqual(flagsAt(full).filter((i) => i >= 7900));
    expect(flagsAt(tail)).toHaveLength(1);
    expect(tail.map((v) => v.score.toFixed(6))).toEqual(full.slice(7900).map((v) => v.score.toFixed(6)));
  });

  it('keeps its memory constant and its score in [0, 1], rising with the size of a rise', () => {
    const d = RANK_CUSUM_SPEC.create(OPTS);
    const gen = lognormal(9, 40, 0.3);
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    let lo = 1;
    let hi = 0;
    const heapAfter = (n: number): number => {
      for (let i = 0; i < n; i++) {
        const { score } = d.update(gen());
        lo = Math.min(lo, score);
        hi = Math.max(hi, score);
      }
      gc();
      return process.memoryUsage().heapUsed;
    };
    const first = heapAfter(20_000);
    expect(heapAfter(60_000) - first).toBeLessThan(1_000_000);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    const probe = (jump: number): number => {
      const e = RANK_CUSUM_SPEC.create(OPTS);
      healthy(1200, 4).forEach((x) => e.update(x));
      return e.update(40 * jump).score;
    };
    const scores = [1, 1.5, 2, 3, 5, 10].map(probe);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(scores[5]).toBeGreaterThan(0.5);
  });

  it('is registered after the default zscore', () => {
    const names = DETECTORS.map((d) => d.name);
    expect(names[0]).toBe('zscore');
    expect(names.indexOf('rank-cusum')).toBeGreaterThan(0);
    expect(names.indexOf('rank-cusum-2s')).toBeGreaterThan(0);
  });
});
