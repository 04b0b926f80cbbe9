import { describe, expect, it } from 'vitest';
import { cusumAlarm } from './rank-cusum.js';
import { LIKELIHOOD, LIKELIHOOD_2S_SPEC, LIKELIHOOD_SPEC, likelihoodAlarm } from './likelihood.js';
import { DETECTORS } from './registry.js';
import { normalTailNats } from './types.js';
import { DETECTOR_OPTS as OPTS, flagsAt, healthyLatency as healthy, runDetector as run, uniform } from '../../../test/helpers/detector-kit.js';

// Feeds upward surprises (nats) to an alarm, each with its sample (by default the surprise itself, so a
// large surprise is also an extreme value); returns the indices it fired at.
type Alarm = (s: { up: number; down: number }, x: number) => { anomaly: boolean };
const firesAt = (alarm: Alarm, surprises: readonly number[], values: readonly number[] = surprises): number[] =>
  surprises.flatMap((up, i) => (alarm({ up, down: 0 }, values[i] as number).anomaly ? [i] : []));
// Exponential(1) surprises: what an ordinary sample scores (−log of a uniform tail probability).
const quiet = (n: number, seed: number): number[] => {
  const u = uniform(seed);
  return Array.from({ length: n }, () => -Math.log(u() + 1e-12));
};
const burst = (len: number, nats: number): number[] => Array.from({ length: len }, () => nats);
// A choppy surprise history: runs of 1–3 samples at 5.9 nats, each followed by 3–6 at 0; its CUSUM (drift 3)
// never reaches 10, but its short-window means vary widely.
const choppy = (n: number): number[] => {
  const u = uniform(1);
  const out: number[] = [];
  while (out.length < n) out.push(...burst(1 + Math.floor(3 * u()), 5.9), ...burst(3 + Math.floor(4 * u()), 0));
  return out.slice(0, n);
};

describe('likelihood: the gate and the bar', () => {
  it('fires on a burst of surprise after a quiet history, but not when such bursts are ordinary for the series', () => {
    const event = burst(12, 6); // the CUSUM (drift 3) passes 10 on the 4th sample of either history
    const calm = [...quiet(3000, 1), ...event];
    expect(firesAt(likelihoodAlarm(false), calm)).toEqual([3003]);
    // A turbulent history: stretches of 0–12 nats of random length, again and again.
    const u = uniform(2);
    const turbulent: number[] = [];
    while (turbulent.length < 3000) turbulent.push(...burst(4 + Math.floor(20 * u()), 12 * u()), ...quiet(20 + Math.floor(40 * u()), turbulent.length));
    const rough = [...turbulent.slice(0, 3000), ...quiet(200, 3), ...event]; // the event at 3200, after a calm spell
    expect(firesAt(cusumAlarm(false), rough)).toContain(3203); // the plain CUSUM fires on it …
    expect(firesAt(likelihoodAlarm(false), rough).filter((i) => i >= 3000)).toEqual([]); // … the likelihood does not
  });

  it('after a large event, needs a comparable one until its bar has decayed', () => {
    const big = burst(6, 30);
    const moderate = burst(12, 6);
    const soon = [...quiet(2000, 3), ...big, ...quiet(300, 4), ...moderate];
    expect(firesAt(likelihoodAlarm(false), soon)).toEqual([2000]); // the moderate one at 2306 is withheld: the bar is still high
    const again = firesAt(likelihoodAlarm(false), [...quiet(2000, 3), ...big, ...quiet(300, 4), ...big]);
    expect(again).toHaveLength(2); // a second large one passes
    expect(again[1]).toBeGreaterThanOrEqual(2306);
    expect(again[1]).toBeLessThan(2312);
    const start = 2006 + 8 * LIKELIHOOD.decay; // the bar has decayed back
    const later = firesAt(likelihoodAlarm(false), [...quiet(2000, 3), ...big, ...quiet(8 * LIKELIHOOD.decay, 4), ...moderate]);
    expect(later).toEqual([2000, start + 3]);
  });

  it('once it knows the series, needs the value in its top 1 % too, unless the evidence is overwhelming', () => {
    // After a choppy history, 12 samples at 4.5 nats: ell reaches about 8, past the bar (5) but short of twice it.
    const history = choppy(4000);
    const g = uniform(8);
    const values = Array.from({ length: 4000 }, () => g()); // the samples: values in [0, 1)
    const after = (surprises: number[], value: number): number[] =>
      firesAt(likelihoodAlarm(false), [...history, ...surprises], [...values, ...burst(surprises.length, value)]).filter((i) => i >= 4000);
    expect(after(burst(12, 4.5), 0.5)).toEqual([]); // an ordinary value: no alarm
    expect(after(burst(12, 4.5), 1.5)).toHaveLength(1); // beyond every value seen: the alarm
    expect(after(burst(12, 6), 0.5)).toHaveLength(1); // overwhelming evidence needs no record
  });

  it('before it knows minSpan samples, any value will do', () => {
    const n = LIKELIHOOD.minSpan - 500;
    const g = uniform(9);
    const fired = firesAt(likelihoodAlarm(false), [...choppy(n), ...burst(12, 4.5)], [...Array.from({ length: n }, () => g()), ...burst(12, 0.5)]);
    expect(fired.filter((i) => i >= n)).toHaveLength(1);
  });

  it('says nothing before it has seen minHistory means', () => {
    expect(firesAt(likelihoodAlarm(false), [...quiet(LIKELIHOOD.minHistory - 50, 5), ...burst(10, 30)])).toEqual([]);
  });

  it('normalTailNats is −log of the normal upper tail, far into the tail', () => {
    const cases: [number, number][] = [[0, 0], [-2, 0], [1, 1.841], [3, 6.6077], [5, 15.065], [8, 35.0134], [20, 203.917]];
    for (const [z, nats] of cases) expect(normalTailNats(z), `z=${z}`).toBeCloseTo(nats, 3);
  });
});

describe('likelihood detector', () => {
  it('flags a clear spike once, at the spike', () => {
    const xs = healthy(1500);
    xs[1200] = 400;
    expect(flagsAt(run(LIKELIHOOD_SPEC, xs))).toEqual([1200]);
  });

  it('flags a level shift once, then absorbs the new normal', () => {
    const xs = healthy(4000).map((x, i) => (i >= 1500 ? x * 3 : x));
    const flags = flagsAt(run(LIKELIHOOD_SPEC, xs));
    expect(flags).toHaveLength(1);
    expect(flags[0]).toBeGreaterThanOrEqual(1500);
    expect(flags[0]).toBeLessThan(1504);
  });

  it('ignores a fall in latency; the two-sided variant flags it', () => {
    const xs = healthy(2000).map((x, i) => (i >= 1500 ? x / 3 : x));
    expect(flagsAt(run(LIKELIHOOD_SPEC, xs))).toEqual([]);
    expect(flagsAt(run(LIKELIHOOD_2S_SPEC, xs))).toHaveLength(1);
  });

  it('once it knows 3000 samples, flags a fall into the bottom 1 % at once (two-sided only)', () => {
    const fall = [...healthy(4000, 13), ...healthy(300, 14).map((x) => x / 3)];
    const flags = flagsAt(run(LIKELIHOOD_2S_SPEC, fall)).filter((i) => i >= 4000);
    expect(flags[0]).toBeLessThan(4005);
    expect(flagsAt(run(LIKELIHOOD_SPEC, fall)).filter((i) => i >= 4000)).toEqual([]);
  });

  it('never flags 20,000 samples of healthy lognormal latency (fixed seeds, light and heavy tails)', () => {
    for (const [seed, sigma] of [[1, 0.3], [2, 0.3], [3, 0.6]] as const) {
      expect(flagsAt(run(LIKELIHOOD_SPEC, healthy(20_000, seed, sigma)))).toEqual([]);
    }
  });

  it('rebuilt from its warmup samples (an alarm among them), gives the continuous run verdicts', () => {
    const xs = healthy(9000, 5, 0.15).map((x, i) => x * (1 + 0.5 * Math.sin((2 * Math.PI * i) / 288)));
    for (let i = 5000; i < 5010; i++) xs[i] = (xs[i] as number) * 4; // replayed: its firing raises the bar
    for (let i = 8000; i < 8010; i++) xs[i] = (xs[i] as number) * 4;
    const full = run(LIKELIHOOD_SPEC, xs);
    const replay = LIKELIHOOD_SPEC.create(OPTS);
    xs.slice(7900 - LIKELIHOOD_SPEC.warmup(OPTS), 7900).forEach((x) => replay.update(x));
    const tail = xs.slice(7900).map((x) => replay.update(x));
    expect(flagsAt(full).filter((i) => i >= 5000 && i < 5010)).toHaveLength(1);
    expect(flagsAt(tail)).toHaveLength(1);
    expect(flagsAt(tail).map((i) => i + 7900)).toEqual(flagsAt(full).filter((i) => i >= 7900));
  });

  it('after a flat stretch and a spike, still flags a level shift 8000 samples later, as a one-shot rebuild does', () => {
    const xs = [...Array.from({ length: 5000 }, () => 40), 400, ...healthy(8000, 11), ...healthy(600, 12).map((x) => 3 * x)];
    const shift = 13_001;
    const full = flagsAt(run(LIKELIHOOD_SPEC, xs));
    expect(full.filter((i) => i >= shift && i < shift + 5)).toHaveLength(1);
    const replay = LIKELIHOOD_SPEC.create(OPTS);
    xs.slice(shift - LIKELIHOOD_SPEC.warmup(OPTS), shift).forEach((x) => replay.update(x));
    const rebuilt = flagsAt(xs.slice(shift).map((x) => replay.update(x))).map((i) => i + shift);
    expect(rebuilt).toEqual(full.filter((i) => i >= shift));
  });

  it('keeps its score in [0, 1], 1 exactly when it flags', () => {
    const xs = healthy(6000, 8);
    for (const at of [2000, 2600, 4000]) xs[at] = 1000;
    for (const v of run(LIKELIHOOD_2S_SPEC, xs)) {
      expect(v.score).toBeGreaterThanOrEqual(0);
      expect(v.score).toBeLessThanOrEqual(1);
      expect(v.score === 1).toBe(v.anomaly);
    }
  });

  it('is registered after the predictive detectors', () => {
    const names = DETECTORS.map((d) => d.name);
    expect(names.indexOf('likelihood')).toBeGreaterThan(names.indexOf('predictive-2s'));
    expect(names.indexOf('likelihood-2s')).toBe(names.indexOf('likelihood') + 1);
  });
});
