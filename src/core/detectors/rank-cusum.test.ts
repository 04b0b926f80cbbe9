import { describe, expect, it } from 'vitest';
import { DETECTOR_OPTS as OPTS, expectConstantMemoryAndRisingScore, flagsAt, healthyLatency, runDetector as run } from '../../../test/helpers/detector-kit.js';
import { RANK_CUSUM_2S_SPEC, RANK_CUSUM_SPEC } from './rank-cusum.js';
import { DETECTORS } from './registry.js';

describe('rank-cusum detector', () => {
  const healthy = (n: number, seed = 1): number[] => healthyLatency(n, seed);

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
    const xs = healthyLatency(9000, 5, 0.15).map((x, i) => x * (1 + 0.5 * Math.sin((2 * Math.PI * i) / 288)));
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
    expectConstantMemoryAndRisingScore(RANK_CUSUM_SPEC);
  });

  it('is registered after the default zscore', () => {
    const names = DETECTORS.map((d) => d.name);
    expect(names[0]).toBe('zscore');
    expect(names.indexOf('rank-cusum')).toBeGreaterThan(0);
    expect(names.indexOf('rank-cusum-2s')).toBeGreaterThan(0);
  });
});
