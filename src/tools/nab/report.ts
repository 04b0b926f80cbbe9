// Renders NAB evaluations as plain-text tables (eval-nab's output).
import type { DetectorEvaluation, ProfileResult } from './evaluate.js';
import { PROFILES } from './layout.js';
import type { CorpusScore } from './sweep.js';

const fmt = (x: number): string => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));
// A threshold just under 1 (a saturated score) is shown as 1-ε, so it is not read as 1.
const thr = (t: number | null): string => (t === null ? 'none' : t < 1 && t.toPrecision(6) === '1.00000' ? `1-${(1 - t).toExponential(1)}` : t.toPrecision(6));

function table(rows: string[][], rightFrom = 1): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c < rightFrom ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd()).join('\n');
}

/** Detector × profile: best threshold, shipped triggers, raw findings (normalised scores). */
export function renderProfiles(evals: readonly DetectorEvaluation[]): string {
  const rows = [['', ...PROFILES.map((p) => p.name)]];
  for (const e of evals) {
    const cell = (pick: (r: ProfileResult) => CorpusScore, withT: boolean) =>
      e.profiles.map((r) => `${fmt(pick(r).normalised)}${withT ? ` (T=${thr(pick(r).threshold)})` : ''}`);
    rows.push([`${e.detector}: anomaly_score, best threshold`, ...cell((r) => r.swept, true)]);
    rows.push([`${e.detector}: triggers, shipped default`, ...cell((r) => r.shipped, false)]);
    rows.push([`${e.detector} (no heal policy)`, ...cell((r) => r.noHeal, false)]);
  }
  return table(rows);
}

/** Window and row counts of each stream under the standard profile. */
export function renderCounts(evals: readonly DetectorEvaluation[]): string {
  const rows = [['standard profile', 'windows detected', 'missed', 'TP rows', 'FP rows', 'raw', 'score']];
  for (const e of evals) {
    const std = e.profiles[0] as ProfileResult;
    const line = (label: string, s: CorpusScore) => [label, `${s.total.windowsDetected}`, `${s.total.windowsMissed}`, `${s.total.tpRows}`, `${s.total.fpRows}`, s.raw.toFixed(2), fmt(s.normalised)];
    rows.push(line(`${e.detector}: anomaly_score ≥ ${thr(std.swept.threshold)}`, std.swept));
    rows.push(line(`${e.detector}: triggers (shipped default)`, std.shipped));
    rows.push(line(`${e.detector} (no heal policy)`, std.noHeal));
  }
  return table(rows);
}

/** Per category, standard profile: normalised over the category's windows (raw where it has none). */
export function renderCategories(evals: readonly DetectorEvaluation[]): string {
  const rows = [['category', 'files', 'windows', ...evals.flatMap((e) => [`${e.detector} best T`, `${e.detector} shipped`])]];
  const first = evals[0];
  if (!first) return '';
  first.categories.forEach((c, i) => {
    const cells = evals.flatMap((e) => {
      const mine = e.categories[i]!;
      const show = (s: { raw: number; normalised: number }): string => (Number.isNaN(s.normalised) ? `raw ${s.raw.toFixed(2)}` : fmt(s.normalised));
      return [show(mine.swept), show(mine.shipped)];
    });
    rows.push([c.category, `${c.files}`, `${c.windows}`, ...cells]);
  });
  return table(rows);
}
