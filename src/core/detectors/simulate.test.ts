import { describe, expect, it } from 'vitest';
import { guardSimulator, simulateGuard, type GuardSimOptions } from './simulate.js';
import type { DetectorSpec } from './types.js';
import { ZSCORE } from './zscore.js';

const MIN = 60_000;
const DETECTOR = { window: 50, sigma: 3, minSamples: 10, minStdevMs: 0.5 };

/** A detector that flags the rows whose value is 1 (score 0.9) and passes the rest (score 0.1). */
const FLAG: DetectorSpec = {
  name: 'flag',
  summary: 'flags value 1',
  create: () => ({ update: (x) => ({ score: x === 1 ? 0.9 : 0.1, anomaly: x === 1, z: null, mean: null, stdev: null }) }),
  warmup: () => 0,
  tunedBy: [],
};

function opts(over: { confirm?: [number, number]; cooldownMs?: number; maxPerHour?: number; backoff?: GuardSimOptions['heal']['backoff']; graceMs?: number } = {}): GuardSimOptions {
  const [confirm, of] = over.confirm ?? [1, 1];
  return { detector: DETECTOR, confirm: { confirm, of }, heal: { cooldownMs: over.cooldownMs ?? 0, maxPerHour: over.maxPerHour ?? 6, backoff: over.backoff ?? null, graceMs: over.graceMs ?? 0 } };
}

/** Runs FLAG over a 0/1 pattern with one row every `stepMs`; returns the trigger column as a 0/1 string. */
function triggers(pattern: string, o: GuardSimOptions, stepMs = 5 * MIN): string {
  const values = [...pattern].map(Number);
  return simulateGuard(values, values.map((_, i) => i * stepMs), FLAG, o).map((r) => (r.trigger ? '1' : '0')).join('');
}

describe('simulateGuard: the heal policy over the rows', () => {
  const cases: { name: string; pattern: string; o: GuardSimOptions; stepMs?: number; want: string }[] = [
    { name: 'every finding heals while the budget lasts', pattern: '0110100', o: opts(), want: '0110100' },
    // 5-minute rows: the 7th heal within an hour is refused; the 13th row is an hour after the 1st.
    { name: 'max_per_hour 6 lets 6 of 12 consecutive findings heal', pattern: '1'.repeat(14), o: opts(), want: '11111100000011' },
    { name: 'max_per_hour 0 never heals', pattern: '111', o: opts({ maxPerHour: 0 }), want: '000' },
    // cooldown 12 min at 5-minute rows: the heal at 0, then not at 5 or 10, next at 15.
    { name: 'cooldown', pattern: '11111', o: opts({ cooldownMs: 12 * MIN }), want: '10010' },
    // 2 of 3: the first finding waits for a second one within the last 3 rows.
    { name: 'confirm 2 of 3', pattern: '1010011001', o: opts({ confirm: [2, 3] }), want: '0010001000' },
    // grace 7 min: the finding 5 min after a heal is not even a trigger; 10 min after, it heals.
    { name: 'grace after a heal', pattern: '1111', o: opts({ graceMs: 7 * MIN }), want: '1010' },
    // backoff: heals of one incident wait 1, 2, 4 rows after the previous heal.
    { name: 'backoff 1, 2, 4 rows', pattern: '1'.repeat(10), o: opts({ maxPerHour: 100, backoff: { maxCycles: 8, resetMs: 30 * MIN } }), want: '1101000100' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(triggers(c.pattern, c.o, c.stepMs)).toBe(c.want);
    });
  }

  it('says which rows were findings, which were confirmed and which healed', () => {
    const rows = simulateGuard([1, 1, 0], [0, 5 * MIN, 10 * MIN], FLAG, opts({ confirm: [2, 2] }));
    expect(rows).toEqual([
      { score: 0.9, anomaly: true, confirmed: false, trigger: false },
      { score: 0.9, anomaly: true, confirmed: true, trigger: true },
      { score: 0.1, anomaly: false, confirmed: false, trigger: false },
    ]);
  });

  it('a row stamped earlier than the one before counts at the latest time (the cycle clock never goes back)', () => {
    // max_per_hour 2; heals at 0 and 130 min. The third row is stamped 10 min: taken at 130, one heal in
    // the last hour, so it heals (at 10 min both earlier heals would look recent and it would not).
    const rows = simulateGuard([1, 1, 1], [0, 130 * MIN, 10 * MIN], FLAG, opts({ maxPerHour: 2 }));
    expect(rows.map((r) => r.trigger)).toEqual([true, true, true]);
  });

  it('a rate-limited trigger is still a confirmed trigger (the guard logs anomaly_trigger, then heal_suppressed)', () => {
    const rows = simulateGuard([1, 1], [0, MIN], FLAG, opts({ maxPerHour: 1 }));
    expect(rows.map((r) => [r.confirmed, r.trigger])).toEqual([
      [true, true],
      [true, false],
    ]);
  });
});

describe('simulateGuard with the zscore detector', () => {
  it('scores a spike against the window before it and heals once', () => {
    const values = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 11, 60, 11];
    const rows = simulateGuard(values, values.map((_, i) => i * 5 * MIN), ZSCORE, opts());
    expect(rows.map((r) => (r.trigger ? 1 : 0))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0]);
    expect(rows[11]!.score).toBeGreaterThan(0.9999);
    expect(rows.slice(0, 10).every((r) => r.score === 0)).toBe(true);
  });

  it('the stepper gives the same rows as the batch call, in bounded memory over a long series', () => {
    const n = 200_000;
    const value = (i: number): number => 20 + ((i * 7919) % 13) + (i % 997 === 0 ? 500 : 0);
    const sim = guardSimulator(ZSCORE, opts());
    let heals = 0;
    for (let i = 0; i < n; i++) if (sim.step(value(i), i * 5 * MIN).trigger) heals++;
    const few = Array.from({ length: 3000 }, (_, i) => value(i));
    const batch = simulateGuard(few, few.map((_, i) => i * 5 * MIN), ZSCORE, opts()).filter((r) => r.trigger).length;
    expect(batch).toBe(3);
    expect(heals).toBeGreaterThan(150);
  });
});
