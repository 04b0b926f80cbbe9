import { describe, expect, it } from 'vitest';
import { quantileSketch, SKETCH_RELATIVE_ERROR } from './percentiles.js';

// A seeded lognormal series (median ~45 ms), like real latencies.
function series(n: number, seed = 7): number[] {
  let a = seed;
  const rand = (): number => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return (a + 0.5) / 2147483648;
  };
  return Array.from({ length: n }, () => 45 * Math.exp(0.4 * Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand())));
}

const nearestRank = (sorted: number[], q: number): number => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1] as number;

describe('quantileSketch', () => {
  it('has no figures without samples', () => {
    expect(quantileSketch().summary()).toEqual({ count: 0, p50: null, p95: null, p99: null, max: null, method: 'exact' });
  });

  it.each([
    { name: 'one sample', values: [12.5], expected: { p50: 12.5, p95: 12.5, p99: 12.5, max: 12.5 } },
    { name: 'ten samples, unsorted', values: [7, 3, 9, 1, 10, 2, 8, 4, 6, 5], expected: { p50: 5, p95: 10, p99: 10, max: 10 } },
    { name: 'zeros count', values: [0, 0, 0, 4], expected: { p50: 0, p95: 4, p99: 4, max: 4 } },
  ])('is exact (nearest rank) while the samples fit: $name', ({ values, expected }) => {
    const s = quantileSketch();
    for (const v of values) s.add(v);
    expect(s.summary()).toEqual({ count: values.length, ...expected, method: 'exact' });
  });

  it('switches to the sketch past the exact limit and stays within 1 % of the true value', () => {
    const values = series(200_000);
    const s = quantileSketch(1000);
    for (const v of values) s.add(v);
    const sorted = [...values].sort((x, y) => x - y);
    expect(s.summary().method).toBe('sketch');
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999]) {
      const truth = nearestRank(sorted, q);
      expect(Math.abs((s.quantile(q) as number) - truth) / truth).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR);
    }
    expect(s.summary().max).toBe(sorted.at(-1));
  });

  it('ignores values that are not finite numbers', () => {
    const s = quantileSketch();
    for (const v of [Number.NaN, Number.POSITIVE_INFINITY, 3]) s.add(v);
    expect(s.summary()).toMatchObject({ count: 1, p50: 3 });
  });
});
