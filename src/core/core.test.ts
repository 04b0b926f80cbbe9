import { describe, expect, it } from 'vitest';
import { computeBaseline, zScore } from './baseline.js';
import { formatTs, parseTs, plainNumber, roundMs, roundPct, roundScore } from './format.js';
import { healVerdict } from './heal-policy.js';
import { historyCollector } from './history.js';

describe('baseline and z-score (the seed: rolling mean, sample stdev, score > sigma)', () => {
  it('computes mean and sample stdev (n − 1) by hand', () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, Σ(x−5)² = 32, sample variance 32/7 → stdev 2.13809…
    const b = computeBaseline([2, 4, 4, 4, 5, 5, 7, 9], 2);
    expect(b.mean).toBe(5);
    expect(b.stdev).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(zScore(11, true, b, 0.5)).toBeCloseTo(6 / Math.sqrt(32 / 7), 12);
  });

  it('has no figures below min_samples, and no score for a failed probe', () => {
    expect(computeBaseline([1, 2, 3], 4)).toEqual({ n: 3, mean: null, stdev: null });
    const b = computeBaseline([1, 2, 3, 4], 4);
    expect(zScore(10, false, b, 0.5)).toBeNull();
  });

  it('floors the stdev at min_stdev_ms for a flat baseline', () => {
    const b = computeBaseline([10, 10, 10], 2);
    expect(b.stdev).toBe(0);
    expect(zScore(11, true, b, 0.5)).toBe(2);
  });

  it('is stable for large values with small spread (Welford)', () => {
    const b = computeBaseline([1e9 + 1, 1e9 + 2, 1e9 + 3], 2);
    expect(b.stdev).toBeCloseTo(1, 9);
  });
});

describe('heal budget', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const budget = { hasCommand: true, cooldownMs: 600_000, maxPerHour: 2 };
  it.each([
    ['no command', { ...budget, hasCommand: false }, [], 'no_command'],
    ['no earlier heal', budget, [], null],
    ['inside the cooldown', budget, [now - 300_000], 'cooldown'],
    ['after the cooldown', budget, [now - 700_000], null],
    ['rate limit reached', { ...budget, cooldownMs: 0 }, [now - 1000, now - 2000], 'rate_limit'],
    ['heals older than an hour do not count', { ...budget, cooldownMs: 0 }, [now - 3_700_000, now - 2000], null],
    ['max_per_hour 0 never heals', { ...budget, maxPerHour: 0 }, [], 'rate_limit'],
  ] as const)('%s', (_name, b, times, why) => {
    const v = healVerdict(b, times, now);
    expect(v.run ? null : v.why).toBe(why);
  });
});

describe('history from the log tail (newest first)', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');
  const at = (minAgo: number) => formatTs(now - minAgo * 60_000);
  const check = (minAgo: number, latency: number, ok = true) => ({ ts: at(minAgo), lat: { latency_ms: latency, ok }, res: { cpu: null, mem: null, disk: null }, score: null, mean: null, stdev: null });
  const heal = (minAgo: number) => ({ event: 'self_heal', ts: at(minAgo) });

  it('keeps the last `window` ok latencies (oldest first) and heals within the lookback, then stops', () => {
    const c = historyCollector({ window: 2, recent: 0, nowMs: now, lookbackMs: 3_600_000 });
    const newestFirst = [check(1, 30), heal(2), check(3, 999, false), check(5, 20), heal(30), check(40, 10), check(70, 5), heal(80)];
    let visited = 0;
    for (const r of newestFirst) {
      visited += 1;
      if (!c.visit(r)) break;
    }
    const h = c.result();
    expect(h.window).toEqual([20, 30]);
    expect(h.healTimes).toEqual([now - 2 * 60_000, now - 30 * 60_000]);
    expect(visited).toBe(7); // stopped at the first record past the hour once the window was full
  });
});

describe('record formatting', () => {
  it('stamps ISO 8601 UTC with microseconds and parses it back', () => {
    const ms = Date.parse('2025-10-21T08:35:00.123Z') + 0.456;
    expect(formatTs(ms)).toBe('2025-10-21T08:35:00.123456Z');
    expect(parseTs('2025-10-21T08:35:00.123456Z')).toBeCloseTo(ms, 6);
  });
  it('rounds as the contract says', () => {
    expect([roundPct(42.349), roundMs(45.20049), roundScore(3.455)]).toEqual([42.3, 45.2, 3.46]);
    expect(roundScore(-0.001)).toBe(0);
  });
  it('names a number without trailing zeros (sigma in reasons)', () => {
    expect([plainNumber(3), plainNumber(2.5)]).toEqual(['3', '2.5']);
  });
});
