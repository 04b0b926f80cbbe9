import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PREDICTIVE_2S_SPEC, PREDICTIVE_SPEC } from './predictive.js';
import { RANK_CUSUM_SPEC } from './rank-cusum.js';
import { DETECTORS } from './registry.js';
import type { DetectorSpec } from './types.js';

const OPTS = { window: 50, sigma: 3, minSamples: 10, minStdevMs: 0.5 };

// mulberry32 and Box–Muller: a seeded standard normal source.
function normal(seed: number): () => number {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}
const healthy = (n: number, seed = 1, sigma = 0.3): number[] => {
  const g = normal(seed);
  return Array.from({ length: n }, () => 40 * Math.exp(sigma * g()));
};
const run = (spec: DetectorSpec, xs: readonly number[]) => {
  const d = spec.create(OPTS);
  return xs.map((x) => d.update(x));
};
const flagsAt = (vs: { anomaly: boolean }[]): number[] => vs.flatMap((v, i) => (v.anomaly ? [i] : []));

describe('predictive detector', () => {
  it('flags a clear spike once, at the spike', () => {
    const xs = healthy(1500);
    xs[1200] = 400;
    expect(flagsAt(run(PREDICTIVE_SPEC, xs))).toEqual([1200]);
  });

  it('flags a level shift once, then absorbs the new normal', () => {
    const xs = healthy(4000).map((x, i) => (i >= 1500 ? x * 3 : x));
    const flags = flagsAt(run(PREDICTIVE_SPEC, xs));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toBeGreaterThanOrEqual(1500);
    expect(flags[0]).toBeLessThan(1504);
  });

  it('flags a jump off a smooth curve that stays inside the recent range, which rank-cusum misses', () => {
    const g = normal(3);
    const xs = Array.from({ length: 2000 }, (_, i) => 100 + 50 * Math.sin((2 * Math.PI * i) / 200) + 2 * g());
    xs[1550] = (xs[1550] as number) + 40; // at a trough (≈ 50): 90 is an ordinary value for the window
    const rank = flagsAt(run(RANK_CUSUM_SPEC, xs));
    expect(rank).not.toContain(1550);
    expect(flagsAt(run(PREDICTIVE_SPEC, xs))).toEqual([...rank, 1550].sort((a, b) => a - b));
  });

  it('ignores a fall in latency; the two-sided variant flags it', () => {
    const xs = healthy(2000).map((x, i) => (i >= 1500 ? x / 3 : x));
    expect(flagsAt(run(PREDICTIVE_SPEC, xs))).toEqual([]);
    expect(flagsAt(run(PREDICTIVE_2S_SPEC, xs))).toHaveLength(1);
  });

  it('never flags 20,000 samples of healthy lognormal latency (fixed seeds, light and heavy tails)', () => {
    for (const [seed, sigma] of [[1, 0.3], [2, 0.3], [3, 0.6]] as const) {
      expect(flagsAt(run(PREDICTIVE_SPEC, healthy(20_000, seed, sigma)))).toEqual([]);
    }
  });

  it('rebuilt from its warmup samples, gives the continuous run verdicts', () => {
    const xs = healthy(9000, 5, 0.15).map((x, i) => x * (1 + 0.5 * Math.sin((2 * Math.PI * i) / 288)));
    for (let i = 8000; i < 8010; i++) xs[i] = (xs[i] as number) * 4;
    const full = run(PREDICTIVE_SPEC, xs);
    const replay = PREDICTIVE_SPEC.create(OPTS);
    xs.slice(7900 - PREDICTIVE_SPEC.warmup(OPTS), 7900).forEach((x) => replay.update(x));
    const tail = xs.slice(7900).map((x) => replay.update(x));
    expect(flagsAt(tail).map((i) => i + 7900)).toEqual(flagsAt(full).filter((i) => i >= 7900));
    expect(flagsAt(tail)).toHaveLength(1);
    expect(tail.map((v) => v.score.toFixed(6))).toEqual(full.slice(7900).map((v) => v.score.toFixed(6)));
  });

  it('keeps its memory constant and its score in [0, 1], rising with the size of a rise', () => {
    const d = PREDICTIVE_SPEC.create(OPTS);
    const gen = healthy(80_000, 9);
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
      const e = PREDICTIVE_SPEC.create(OPTS);
      healthy(1200, 4).forEach((x) => e.update(x));
      return e.update(40 * jump).score;
    };
    const scores = [1, 1.5, 2, 3, 5, 10].map(probe);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    expect(scores[5]).toBeGreaterThan(0.5);
  });

  it('is registered after the default zscore and the rank-cusum detectors', () => {
    const names = DETECTORS.map((d) => d.name);
    expect(names[0]).toBe('zscore');
    expect(names.indexOf('predictive')).toBeGreaterThan(names.indexOf('rank-cusum-2s'));
    expect(names.indexOf('predictive-2s')).toBeGreaterThan(names.indexOf('predictive'));
  });
});
