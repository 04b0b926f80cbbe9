import { describe, expect, it } from 'vitest';
import { computeBaseline, rollingStats, zScore } from '../baseline.js';
import { normalCdf, zToScore } from './types.js';
import { zscoreDetector } from './zscore.js';
import { normal } from '../../../test/helpers/detector-kit.js';

describe('rollingStats', () => {
  it('matches a two-pass computation over the last `size` values', () => {
    const stats = rollingStats(5);
    const xs = [3, 9, 1, 7, 5, 12, 2, 8, 8, 4, 100, 6];
    xs.forEach((x, i) => {
      stats.push(x);
      const last = xs.slice(Math.max(0, i - 4), i + 1);
      const mean = last.reduce((a, c) => a + c, 0) / last.length;
      expect(stats.mean()).toBeCloseTo(mean, 9);
      const twoPass = Math.sqrt(last.reduce((a, c) => a + (c - mean) ** 2, 0) / (last.length - 1));
      if (last.length >= 2) expect(stats.stdev()).toBeCloseTo(twoPass, 9);
    });
  });

  it('stays exact over a long stream far from zero (the likelihood gate keeps one over 4000 values)', () => {
    const stats = rollingStats(100);
    const g = normal(6);
    const xs = Array.from({ length: 250_050 }, () => 1e6 + g());
    xs.forEach((x) => stats.push(x));
    const last = xs.slice(-100);
    const b = computeBaseline(last, 2);
    expect(stats.mean()).toBeCloseTo(b.mean as number, 6);
    expect(stats.stdev()).toBeCloseTo(b.stdev as number, 4);
  });
});

describe('zscore detector', () => {
  it('scores each sample against the window before it, exactly like the check does', () => {
    const opts = { window: 4, sigma: 3, minSamples: 3, minStdevMs: 0.5 };
    const d = zscoreDetector(opts);
    const xs = [10, 12, 11, 13, 10, 40, 11];
    xs.forEach((x, i) => {
      const v = d.update(x);
      const b = computeBaseline(xs.slice(Math.max(0, i - 4), i), 3);
      const z = zScore(x, true, b, 0.5);
      if (z === null) expect(v.z).toBeNull();
      else expect(v.z).toBeCloseTo(z, 9);
      expect(v.anomaly).toBe(z !== null && z > 3);
    });
  });

  it('maps z to [0, 1] monotonically: 0 at or below the mean, 2Φ(z) − 1 above', () => {
    expect(zToScore(null)).toBe(0);
    expect(zToScore(-2)).toBe(0);
    expect(zToScore(0)).toBe(0);
    expect(zToScore(3)).toBeCloseTo(0.9973, 4);
    expect(normalCdf(1.96)).toBeCloseTo(0.975, 3);
    const zs = [0.1, 0.5, 1, 2, 3, 4, 5];
    const scores = zs.map(zToScore);
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
  });
});
