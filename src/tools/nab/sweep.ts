// NAB's threshold sweep (SCORING.md §7): every distinct score is tried as the one corpus-wide T, highest
// first, with a running total; ties go to the highest T. The chosen T is then scored file by file. Pure.
import type { Profile } from './layout.js';
import { bounds, normalise, scoreFile, sumScores, type Bounds, type FileScore, type ScoredFile } from './nab-score.js';

/** A corpus scored at one threshold under one profile. */
export interface CorpusScore {
  profile: string;
  /** The threshold (null: detect nothing, NAB's 1.1). */
  threshold: number | null;
  raw: number;
  normalised: number;
  bounds: Bounds;
  total: FileScore;
  files: FileScore[];
}

/** Scores every file at threshold T and totals them. */
export function scoreCorpus(files: readonly ScoredFile[], p: Profile, threshold: number | null): CorpusScore {
  const scores = files.map((f) => scoreFile(f, threshold, p));
  const total = sumScores(scores);
  const b = bounds(files.map((f) => f.layout), p);
  return { profile: p.name, threshold, raw: total.raw, normalised: normalise(total.raw, b), bounds: b, total, files: scores };
}

/** Every scored row of the corpus: its score, its weighted worth and its global window (−1 outside). */
function poolRows(files: readonly ScoredFile[], p: Profile) {
  const size = files.reduce((a, f) => a + f.layout.n - f.layout.probation, 0);
  const score = new Float64Array(size);
  const worth = new Float64Array(size);
  const window = new Int32Array(size);
  let at = 0;
  let windowBase = 0;
  for (const { layout, scores } of files) {
    for (let i = layout.probation; i < layout.n; i++, at++) {
      const k = layout.windowOf[i] as number;
      score[at] = scores[i] as number;
      window[at] = k >= 0 ? windowBase + k : -1;
      worth[at] = (k >= 0 ? p.tp : p.fp) * (layout.unweighted[i] as number);
    }
    windowBase += layout.windows.length;
  }
  return { score, worth, window, windows: windowBase };
}

/** The threshold that maximises the corpus raw score, and that score from the running total. */
export function sweepThreshold(files: readonly ScoredFile[], p: Profile): { threshold: number | null; raw: number } {
  const rows = poolRows(files, p);
  const order = Array.from({ length: rows.score.length }, (_, i) => i).filter((i) => !Number.isNaN(rows.score[i]));
  order.sort((a, b) => (rows.score[b] as number) - (rows.score[a] as number));
  const bestInWindow = new Float64Array(rows.windows).fill(Number.NEGATIVE_INFINITY);
  let total = bounds(files.map((f) => f.layout), p).nullRaw; // nothing detected yet: every scored window missed
  let best = { threshold: null as number | null, raw: total };
  for (let j = 0; j < order.length; j++) {
    const i = order[j] as number;
    const k = rows.window[i] as number;
    const w = rows.worth[i] as number;
    if (k < 0) total += w;
    else if (w > (bestInWindow[k] as number)) {
      total += w - (bestInWindow[k] === Number.NEGATIVE_INFINITY ? -p.fn : (bestInWindow[k] as number));
      bestInWindow[k] = w;
    }
    const next = order[j + 1];
    const s = rows.score[i] as number;
    if (next !== undefined && rows.score[next] === s) continue; // T = s detects every row of this score
    if (total > best.raw + 1e-9) best = { threshold: s, raw: total };
  }
  return best;
}

/** Sweeps for the best threshold, then scores the corpus at it file by file, as NAB's scoring step does. */
export function bestCorpusScore(files: readonly ScoredFile[], p: Profile): CorpusScore {
  return scoreCorpus(files, p, sweepThreshold(files, p).threshold);
}
