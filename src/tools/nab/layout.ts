// NAB's row weights (SCORING.md §2, §4): the probationary period, the scaled sigmoid and, for every row
// of a file, what a detection there is worth before the profile's weights. Pure.

/** A profile's weights (NAB config/profiles.json; the TN weight is never used). */
export interface Profile {
  name: string;
  tp: number;
  fp: number;
  fn: number;
}

/** NAB's three profiles, standard first. */
export const PROFILES: readonly Profile[] = [
  { name: 'standard', tp: 1.0, fp: 0.11, fn: 1.0 },
  { name: 'reward_low_FP_rate', tp: 1.0, fp: 0.22, fn: 1.0 },
  { name: 'reward_low_FN_rate', tp: 1.0, fp: 0.11, fn: 2.0 },
];

/** A row index marking rows that are not scored (probation). */
export const PROBATION = -2;
/** A row index marking rows outside every window. */
export const OUTSIDE = -1;

/** Where each row of a file stands for scoring. */
export interface FileLayout {
  n: number;
  /** Rows before this index are ignored. */
  probation: number;
  /** [L, R] row indices of each window, inclusive, in file order. */
  windows: readonly (readonly [number, number])[];
  /** Per window: scored (at least one row at or after the probation). */
  scored: readonly boolean[];
  /** Per row: the window index, OUTSIDE, or PROBATION. */
  windowOf: Int32Array;
  /** Per row: sigma(y)/sigma(-1) inside a window (multiply by A_TP), sigma(y) outside (multiply by A_FP). */
  unweighted: Float64Array;
}

/** P = min(floor(0.15 · n), 750). */
export function probationRows(n: number): number {
  return Math.min(Math.floor(0.15 * n), 750);
}

/** NAB's scaled sigmoid: 2 / (1 + e^(5y)) − 1, and −1 past y = 3. */
export function scaledSigmoid(y: number): number {
  if (y > 3) return -1;
  return 2 / (1 + Math.exp(5 * y)) - 1;
}

const SIGMA_MINUS_1 = scaledSigmoid(-1);

/** The unweighted worth of a detection at row i inside window [L, R]: 1 at L, about 0 at R. */
export function insideWorth(i: number, [l, r]: readonly [number, number]): number {
  return scaledSigmoid(-(r - i + 1) / (r - l + 1)) / SIGMA_MINUS_1;
}

/** The unweighted (negative) worth of a detection at row i after the window that ended last, or before any. */
export function outsideWorth(i: number, ended: readonly [number, number] | null): number {
  if (ended === null) return -1;
  const [l, r] = ended;
  const denominator = r - l; // w' − 1
  return scaledSigmoid(denominator === 0 ? Number.POSITIVE_INFINITY : (i - r) / denominator);
}

/** Lays out a file of n rows with its windows (row indices, in order, not overlapping). */
export function fileLayout(n: number, windows: readonly (readonly [number, number])[]): FileLayout {
  const probation = probationRows(n);
  const windowOf = new Int32Array(n).fill(PROBATION);
  const unweighted = new Float64Array(n);
  let next = 0; // the next window not yet ended
  for (let i = probation; i < n; i++) {
    while (next < windows.length && (windows[next] as [number, number])[1] < i) next++;
    const w = windows[next];
    if (w && w[0] <= i) {
      windowOf[i] = next;
      unweighted[i] = insideWorth(i, w);
    } else {
      windowOf[i] = OUTSIDE;
      unweighted[i] = outsideWorth(i, next > 0 ? (windows[next - 1] as [number, number]) : null);
    }
  }
  return { n, probation, windows, scored: windows.map(([, r]) => r >= probation), windowOf, unweighted };
}
