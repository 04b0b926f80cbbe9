// The threshold sweep on tiny corpora, computed by hand (standard profile: TP 1, FP 0.11, FN 1;
// 20-row files have probation P = 3; file A has one window on rows 5–8, w = 4).
import { describe, expect, it } from 'vitest';
import { fileLayout, PROFILES, type Profile } from './layout.js';
import { scoreCorpus, sweepThreshold, bestCorpusScore } from './sweep.js';
import type { ScoredFile } from './nab-score.js';

const [STANDARD, LOW_FP] = PROFILES as [Profile, Profile, Profile];

function scored(key: string, n: number, windows: [number, number][], scores: Record<number, number>): ScoredFile {
  const s = new Float64Array(n);
  for (const [i, v] of Object.entries(scores)) s[Number(i)] = v;
  return { key, layout: fileLayout(n, windows), scores: s };
}

describe('sweepThreshold', () => {
  it('picks the T that maximises the corpus raw score on a 2-file corpus', () => {
    // A: row 5 (first window row) 0.9; row 12 0.6, y = (12−8)/3 = 1.333: 0.11·(−tanh(3.333)) = −0.109720.
    // B (no windows): rows 10 and 11 at 0.6 cost −0.11 each (before any window); row 15 at 0.3 costs −0.11.
    // Every other row scores 0: T = 0 would flag 30 more rows.
    // T = none: −1 · T = 0.9: +1 · T = 0.6: 1 − 0.109720 − 0.22 = 0.670280 · T = 0.3: 0.560280 · T = 0: far below.
    const corpus = [scored('A', 20, [[5, 8]], { 5: 0.9, 12: 0.6 }), scored('B', 20, [], { 10: 0.6, 11: 0.6, 15: 0.3 })];
    expect(sweepThreshold(corpus, STANDARD)).toEqual({ threshold: 0.9, raw: 1 });
    expect(scoreCorpus(corpus, STANDARD, 0.6).raw).toBeCloseTo(0.67028, 5);
    expect(scoreCorpus(corpus, STANDARD, 0.3).raw).toBeCloseTo(0.56028, 5);
    const best = bestCorpusScore(corpus, STANDARD);
    expect(best.threshold).toBe(0.9);
    expect(best.normalised).toBe(100); // null −1, perfect 1
    expect(best.files.map((f) => f.raw)).toEqual([1, 0]);
  });

  it('trades an earlier detection against false positives, by profile', () => {
    // Window 5–8: row 8 at 0.8 is worth 0.562124 (y = −1/4); row 5 at 0.5 is worth 1 but comes with
    // rows 15–17 at 0.5, 7 to 9 rows after the window (y = 2.33 … 3): about −A_FP each (−tanh(5.83) = −0.99998).
    // Standard: T = 0.5 gives 1 − 3·0.11 = 0.670 > 0.562. Low FP: 1 − 3·0.22 = 0.340 < 0.562, so T = 0.8.
    const corpus = [scored('A', 20, [[5, 8]], { 5: 0.5, 8: 0.8, 15: 0.5, 16: 0.5, 17: 0.5 })];
    expect(sweepThreshold(corpus, STANDARD).threshold).toBe(0.5);
    expect(sweepThreshold(corpus, LOW_FP).threshold).toBe(0.8);
  });

  it('on a tie keeps the highest T', () => {
    // Row 6 at 0.8 is inside the window after row 5 at 0.9: T = 0.8 adds nothing, so it ties with T = 0.9.
    const corpus = [scored('A', 20, [[5, 8]], { 5: 0.9, 6: 0.8 })];
    expect(sweepThreshold(corpus, STANDARD)).toEqual({ threshold: 0.9, raw: 1 });
  });

  it('ends at "detect nothing" when every threshold is worse than the null detector', () => {
    // 200 rows (P = 30), window 100–103. Rows 40 and 41 (before the window) at 0.9 and 0.8 cost 0.11 each
    // and detect nothing; T = 0 flags every row: +1 for the window, but 196 − 30 = 166 rows outside cost
    // about 0.11 each (≈ −17). Every T loses against −1: T = none, and the score normalises to exactly 0.
    const corpus = [scored('A', 200, [[100, 103]], { 40: 0.9, 41: 0.8 })];
    const best = bestCorpusScore(corpus, STANDARD);
    expect(best.threshold).toBeNull();
    expect(best.raw).toBe(-1);
    expect(best.normalised).toBe(0);
  });

  it('agrees with scoring every distinct threshold one by one (random corpora)', () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 20; round++) {
      const corpus = [0, 1, 2].map((f) => {
        const scores: Record<number, number> = {};
        for (let i = 0; i < 60; i++) scores[i] = Math.round(rand() * 20) / 20;
        return scored(`f${f}`, 60, f === 2 ? [] : [[20 + f * 5, 27 + f * 5], [45, 50]], scores);
      });
      const thresholds = [...new Set(corpus.flatMap((f) => Array.from(f.scores)))];
      const brute = Math.max(-4, ...thresholds.map((t) => scoreCorpus(corpus, STANDARD, t).raw));
      const swept = sweepThreshold(corpus, STANDARD);
      expect(swept.raw).toBeCloseTo(brute, 9);
      expect(scoreCorpus(corpus, STANDARD, swept.threshold).raw).toBeCloseTo(brute, 9);
    }
  });
});
