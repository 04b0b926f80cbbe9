import { describe, expect, it } from 'vitest';
import { orderWindow } from './order-window.js';
import { seasonTracker } from './season.js';
import { uniform as rng } from '../../../test/helpers/detector-kit.js';

describe('orderWindow', () => {
  const cases = [
    { name: 'distinct values', cap: 7, gen: (r: () => number) => r() * 100 },
    { name: 'many ties', cap: 9, gen: (r: () => number) => Math.floor(r() * 4) },
    { name: 'a constant', cap: 5, gen: () => 45 },
  ];
  for (const c of cases) {
    it(`answers like a sorted copy of the last values: ${c.name}`, () => {
      const r = rng(7);
      const w = orderWindow(c.cap);
      const all: number[] = [];
      for (let i = 0; i < 400; i++) {
        const x = c.gen(r);
        w.push(x);
        all.push(x);
        const sorted = all.slice(-c.cap).sort((a, b) => a - b);
        const probe = c.gen(r);
        expect(w.size).toBe(sorted.length);
        expect(w.countBelow(probe)).toBe(sorted.filter((v) => v < probe).length);
        expect(w.countAtMost(probe)).toBe(sorted.filter((v) => v <= probe).length);
        sorted.forEach((v, k) => expect(w.kth(k)).toBe(v));
      }
    });
  }

  it('interpolates quantiles between order statistics', () => {
    const w = orderWindow(10);
    [5, 1, 3, 2, 4].forEach((x) => w.push(x));
    expect(w.quantile(0)).toBe(1);
    expect(w.quantile(0.5)).toBe(3);
    expect(w.quantile(0.625)).toBeCloseTo(3.5, 12);
    expect(w.quantile(1)).toBe(5);
  });
});

describe('seasonTracker', () => {
  it('finds the daily lag of a 5-minute series and none in plain noise', () => {
    const r = rng(3);
    const daily = seasonTracker([24, 288, 2016], 0.8, 1 / 4000);
    const noise = seasonTracker([24, 288, 2016], 0.8, 1 / 4000);
    for (let i = 0; i < 2000; i++) {
      daily.push(50 + 20 * Math.sin((2 * Math.PI * i) / 288) + r());
      noise.push(50 + r());
    }
    expect(daily.lag()).toBe(288);
    expect(Math.abs(daily.back(288) - (50 + 20 * Math.sin((2 * Math.PI * (2000 - 288)) / 288)))).toBeLessThan(1);
    expect(noise.lag()).toBeNull();
  });
});
