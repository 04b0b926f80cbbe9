// NAB's raw score of one file at a threshold (SCORING.md §5, §9), corpus totals and normalisation (§8).
// Pure: a layout and a score per row in, figures out.
import type { FileLayout, Profile } from './layout.js';

/** One file's layout and the detector's anomaly score per row (same length). */
export interface ScoredFile {
  key: string;
  layout: FileLayout;
  scores: ArrayLike<number>;
}

/** A file's score at one threshold, with NAB's row counts and the window counts. */
export interface FileScore {
  key: string;
  raw: number;
  tpRows: number;
  fpRows: number;
  fnRows: number;
  tnRows: number;
  windowsDetected: number;
  windowsMissed: number;
}

/** The null and perfect raw scores of a set of files, for normalisation. */
export interface Bounds {
  nullRaw: number;
  perfectRaw: number;
  windows: number;
}

/** A row is a detection when its score is at least T (T = null: nothing is detected). */
export const detects = (score: number, threshold: number | null): boolean => threshold !== null && score >= threshold;

/** Scores one file at threshold T: best detection per scored window, every detection outside costs. */
export function scoreFile(f: ScoredFile, threshold: number | null, p: Profile): FileScore {
  const { layout } = f;
  const best = new Float64Array(layout.windows.length).fill(Number.NEGATIVE_INFINITY);
  const out: FileScore = { key: f.key, raw: 0, tpRows: 0, fpRows: 0, fnRows: 0, tnRows: 0, windowsDetected: 0, windowsMissed: 0 };
  for (let i = layout.probation; i < layout.n; i++) {
    const k = layout.windowOf[i] as number;
    const hit = detects(f.scores[i] as number, threshold);
    if (k >= 0) {
      if (hit) best[k] = Math.max(best[k] as number, p.tp * (layout.unweighted[i] as number));
      if (hit) out.tpRows++;
      else out.fnRows++;
    } else if (hit) {
      out.raw += p.fp * (layout.unweighted[i] as number);
      out.fpRows++;
    } else out.tnRows++;
  }
  layout.windows.forEach((_, k) => {
    if (!layout.scored[k]) return;
    const b = best[k] as number;
    if (b === Number.NEGATIVE_INFINITY) {
      out.raw -= p.fn;
      out.windowsMissed++;
    } else {
      out.raw += b;
      out.windowsDetected++;
    }
  });
  return out;
}

/** The sum of file scores (raw and counts), keyed "total". */
export function sumScores(scores: readonly FileScore[], key = 'total'): FileScore {
  const total: FileScore = { key, raw: 0, tpRows: 0, fpRows: 0, fnRows: 0, tnRows: 0, windowsDetected: 0, windowsMissed: 0 };
  for (const s of scores) {
    for (const field of ['raw', 'tpRows', 'fpRows', 'fnRows', 'tnRows', 'windowsDetected', 'windowsMissed'] as const) total[field] += s[field];
  }
  return total;
}

/** null = −A_FN · scored windows (the detector that flags nothing); perfect = A_TP · windows in the labels. */
export function bounds(layouts: readonly FileLayout[], p: Profile): Bounds {
  const windows = layouts.reduce((a, l) => a + l.windows.length, 0);
  const scored = layouts.reduce((a, l) => a + l.scored.filter(Boolean).length, 0);
  return { nullRaw: -p.fn * scored, perfectRaw: p.tp * windows, windows };
}

/** 100 · (raw − null) / (perfect − null): 0 for the null detector, 100 for a perfect one; NaN without windows. */
export function normalise(raw: number, b: Bounds): number {
  const span = b.perfectRaw - b.nullRaw;
  return span === 0 ? Number.NaN : (100 * (raw - b.nullRaw)) / span;
}
