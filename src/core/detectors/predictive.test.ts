import { describe, expect, it } from 'vitest';
import { expectConstantMemoryAndRisingScore, flagsAt, DETECTOR_OPTS as OPTS, normal, healthyLatency as healthy, runDetector as run } from '../../../test/helpers/detector-kit.js';
import { PREDICTIVE_2S_SPEC, PREDICTIVE_SPEC } from './predictive.js';
import { RANK_CUSUM_SPEC } from './rank-cusum.js';
import { DETECTORS } from './registry.js';

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
    expectConstantMemoryAndRisingScore(PREDICTIVE_SPEC);
  });

  it('is registered after the default zscore and the rank-cusum detectors', () => {
    const names = DETECTORS.map((d) => d.name);
    expect(names[0]).toBe('zscore');
    expect(names.indexOf('predictive')).toBeGreaterThan(names.indexOf('rank-cusum-2s'));
    expect(names.indexOf('predictive-2s')).toBeGreaterThan(names.indexOf('predictive'));
  });
});
