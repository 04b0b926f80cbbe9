// Hand-computed NAB scores. The scaled sigmoid is sigma(y) = 2/(1 + e^(5y)) − 1 = −tanh(2.5·y), so
// sigma(−1) = tanh(2.5) = 0.986614. The test file has n = 20 rows: probation P = min(floor(0.15·20), 750)
// = 3 (rows 0–2 are ignored), and one window on rows 5–8 (w = 4). Standard profile: TP 1, FP 0.11, FN 1.
import { describe, expect, it } from 'vitest';
import { fileLayout, insideWorth, outsideWorth, PROFILES, probationRows, scaledSigmoid, type Profile } from './layout.js';
import { bounds, normalise, scoreFile, type ScoredFile } from './nab-score.js';

const [STANDARD, LOW_FP, LOW_FN] = PROFILES as [Profile, Profile, Profile];

/** A file of n rows with the given windows where the listed rows score 1 and the rest 0. */
function file(n: number, windows: [number, number][], detected: number[]): ScoredFile {
  const scores = new Float64Array(n);
  for (const i of detected) scores[i] = 1;
  return { key: 'test.csv', layout: fileLayout(n, windows), scores };
}

describe('the scaled sigmoid and probation', () => {
  it('has the values SCORING.md lists', () => {
    expect(scaledSigmoid(-1)).toBeCloseTo(0.98661, 5);
    expect(scaledSigmoid(-0.5)).toBeCloseTo(0.84828, 5);
    expect(scaledSigmoid(0)).toBe(0);
    expect(scaledSigmoid(1)).toBeCloseTo(-0.98661, 5);
    expect(scaledSigmoid(3.0001)).toBe(-1);
  });

  it('ignores the first 15 % of rows, at most 750', () => {
    expect(probationRows(20)).toBe(3);
    expect(probationRows(4032)).toBe(604);
    expect(probationRows(5000)).toBe(750);
    expect(probationRows(22_695)).toBe(750);
  });
});

describe('scoreFile: one window on rows 5–8 of 20 rows, standard profile', () => {
  const cases: { name: string; detected: number[]; raw: number; why: string }[] = [
    { name: 'at the first window row', detected: [5], raw: 1.0, why: 'y = −(8−5+1)/4 = −1: worth A_TP exactly' },
    // y = −1/4: tanh(0.625)/tanh(2.5) = 0.554600/0.986614 = 0.562124 (about 0 only for wide windows, below).
    { name: 'at the last window row', detected: [8], raw: 0.562124, why: 'late in the window' },
    { name: 'first and last row: only the best counts', detected: [5, 6, 7, 8], raw: 1.0, why: 'further detections in a window add nothing' },
    // Missed window −1, plus the FP just after it: y = (9−8)/(4−1) = 1/3, 0.11·(−tanh(0.8333)) = −0.075049.
    { name: 'just after the window', detected: [9], raw: -1.075049, why: 'a small cost right after a window' },
    // y = (18−8)/3 = 3.33 > 3: sigma = −1, so −A_FP = −0.11.
    { name: 'far after the window', detected: [18], raw: -1.11, why: 'the full FP cost past 3(w−1) rows' },
    { name: 'before the first window', detected: [4], raw: -1.11, why: 'sigma = −1 before any window' },
    { name: 'a missed window', detected: [], raw: -1.0, why: '−A_FN' },
    { name: 'probation rows are ignored', detected: [0, 1, 2], raw: -1.0, why: 'rows 0–2 never count' },
    // Rows 18 and 19 both cost −0.11: detections are not merged into events.
    { name: 'every flagged row outside costs', detected: [5, 18, 19], raw: 1.0 - 0.22, why: '1 − 2·0.11' },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.why})`, () => {
      expect(scoreFile(file(20, [[5, 8]], c.detected), 0.5, STANDARD).raw).toBeCloseTo(c.raw, 6);
    });
  }

  it('weighs by profile: low FP doubles the FP cost, low FN doubles the miss', () => {
    const f = file(20, [[5, 8]], [18]);
    expect(scoreFile(f, 0.5, LOW_FP).raw).toBeCloseTo(-1.22, 9);
    expect(scoreFile(f, 0.5, LOW_FN).raw).toBeCloseTo(-2.11, 9);
  });

  it('counts rows after probation (TP, FN, FP, TN) and windows', () => {
    const s = scoreFile(file(20, [[5, 8]], [1, 4, 6, 7, 12]), 0.5, STANDARD);
    expect(s).toMatchObject({ tpRows: 2, fnRows: 2, fpRows: 2, tnRows: 11, windowsDetected: 1, windowsMissed: 0 });
  });

  it('detects at scores >= T, T itself included; T = null detects nothing', () => {
    const f: ScoredFile = { key: 'x', layout: fileLayout(20, [[5, 8]]), scores: Float64Array.from({ length: 20 }, (_, i) => (i === 5 ? 0.7 : 0)) };
    expect(scoreFile(f, 0.7, STANDARD).raw).toBe(1);
    expect(scoreFile(f, 0.7000001, STANDARD).raw).toBe(-1);
    expect(scoreFile(f, null, STANDARD).raw).toBe(-1);
  });
});

describe('scoreFile: a wide window (rows 100–199 of 400), where the ends are worth about 0', () => {
  it('the last row is worth about 0: y = −1/100, tanh(0.025)/tanh(2.5) = 0.025334', () => {
    expect(insideWorth(199, [100, 199])).toBeCloseTo(0.025334, 6);
    expect(scoreFile(file(400, [[100, 199]], [199]), 0.5, STANDARD).raw).toBeCloseTo(0.025334, 6);
  });

  it('just after costs about 0: y = 1/99, 0.11·(−tanh(0.02525)) = −0.002777', () => {
    expect(outsideWorth(200, [100, 199]) * 0.11).toBeCloseTo(-0.002777, 6);
    expect(scoreFile(file(400, [[100, 199]], [200]), 0.5, STANDARD).raw).toBeCloseTo(-1.002777, 6);
  });

  it('measures from the most recently ended window, not the next one', () => {
    // Windows 100–199 and 300–309: row 290 is 91 rows after the first (y = 91/99 = 0.919),
    // 0.11·(−tanh(2.298)) = 0.11·(−0.980017) = −0.107802, however close the next window is.
    const f = file(400, [[100, 199], [300, 309]], [100, 290, 300]);
    expect(scoreFile(f, 0.5, STANDARD).raw).toBeCloseTo(2 + 0.11 * -Math.tanh((2.5 * 91) / 99), 9);
    expect(0.11 * -Math.tanh((2.5 * 91) / 99)).toBeCloseTo(-0.107802, 6);
  });

  it('a window that starts in probation keeps its full width for the position', () => {
    // n = 100: P = 15. Window rows 10–29 (w = 20); the first scored row 15 has y = −(29−15+1)/20 = −0.75:
    // tanh(1.875)/tanh(2.5) = 0.954045/0.986614 = 0.966989. Row 12 is in probation: ignored.
    expect(scoreFile(file(100, [[10, 29]], [12, 15]), 0.5, STANDARD).raw).toBeCloseTo(0.966989, 6);
  });
});

describe('normalisation', () => {
  it('maps the null detector to 0 and a perfect one to 100 over the windows of the set', () => {
    const layouts = [fileLayout(20, [[5, 8]]), fileLayout(20, [[10, 12]]), fileLayout(20, [])];
    const b = bounds(layouts, STANDARD);
    expect(b).toEqual({ nullRaw: -2, perfectRaw: 2, windows: 2 });
    expect(normalise(-2, b)).toBe(0);
    expect(normalise(2, b)).toBe(100);
    expect(normalise(0, b)).toBe(50);
    expect(normalise(-6, b)).toBe(-100); // no lower bound
    expect(bounds(layouts, LOW_FN).nullRaw).toBe(-4);
    expect(normalise(0, bounds([fileLayout(20, [])], STANDARD))).toBeNaN();
  });
});
