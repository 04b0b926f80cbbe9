import { describe, expect, it } from 'vitest';
import { topScores } from './top-scores.js';

const at = (i: number): string => `2025-10-21T08:${String(i).padStart(2, '0')}:00.000000Z`;

describe('topScores', () => {
  it('keeps the k highest scores, highest first', () => {
    const top = topScores(3);
    [1.5, 9, -2, 4, 7, 0.5, 8].forEach((score, i) => top.offer({ ts: at(i), score, latencyMs: i }));
    expect(top.result().map((s) => s.score)).toEqual([9, 8, 7]);
  });

  it('keeps the earlier of equal scores and lists them in time order', () => {
    const top = topScores(2);
    [5, 5, 5, 1].forEach((score, i) => top.offer({ ts: at(i), score, latencyMs: i }));
    expect(top.result().map((s) => s.ts)).toEqual([at(0), at(1)]);
  });

  it('keeps only positive scores: a latency at or below its baseline is no anomaly', () => {
    const top = topScores(10);
    [-0.3, 0, 0.5, -4, Number.NaN, 2].forEach((score, i) => top.offer({ ts: at(i), score, latencyMs: i }));
    expect(top.result().map((s) => s.score)).toEqual([2, 0.5]);
  });

  it('returns everything when fewer than k were offered, and nothing for k = 0', () => {
    const top = topScores(10);
    top.offer({ ts: at(1), score: 2, latencyMs: 1 });
    expect(top.result()).toHaveLength(1);
    const none = topScores(0);
    none.offer({ ts: at(1), score: 2, latencyMs: 1 });
    expect(none.result()).toEqual([]);
  });
});
