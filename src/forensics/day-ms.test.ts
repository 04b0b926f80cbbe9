// dayMsAt against what the ts reader computed before it, with Date: Date.parse of the day at 00:00Z,
// kept only when that day's ISO text is the text read (no 30 February) and its µs stay exact.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayMsAt } from './ts-bytes.js';

const MAX_EXACT_MS = 2 ** 53 / 1000;
function reference(text: string): number {
  const ms = /^\d{4}-\d\d-\d\d$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  const canonical = Number.isFinite(ms) && Math.abs(ms) < MAX_EXACT_MS - 86_400_000 && new Date(ms).toISOString().startsWith(text);
  return canonical ? ms : Number.NaN;
}
const at = (text: string): number => dayMsAt(Buffer.from(`"${text}T`), 1);
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

describe('dayMsAt', () => {
  it('equals Date for every year 1600–2300 (and some far ones), every month 00–13, every day 00–32', () => {
    const years = [0, 1, 99, 100, 400, 1000, 1582, 1683, 1684, 1685, 2255, 2256, 2257, 3000, 9999];
    for (let y = 1600; y <= 2300; y++) years.push(y);
    let real = 0;
    for (const y of years)
      for (let m = 0; m <= 13; m++)
        for (let d = 0; d <= 32; d++) {
          const text = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          const want = reference(text);
          if (!Object.is(at(text), want)) expect({ text, ms: at(text) }).toEqual({ text, ms: want });
          if (Number.isFinite(want)) real++;
        }
    expect(real).toBeGreaterThan(200_000); // most of them are real days
  });

  it('equals Date on any 10 bytes that look like a day (fast-check)', () => {
    const ch = fc.constantFrom(...'0123456789-/ Té'.split(''));
    fc.assert(
      fc.property(fc.array(ch, { minLength: 10, maxLength: 10 }), fc.date({ min: new Date('1500-01-01'), max: new Date('2400-01-01'), noInvalidDate: true }), (chars, date) => {
        const odd = chars.join('');
        if (Buffer.byteLength(odd) === 10) expect(Object.is(at(odd), reference(odd))).toBe(true);
        const day = date.toISOString().slice(0, 10);
        expect(at(day)).toBe(reference(day));
      }),
      { numRuns: 5000 },
    );
  });
});
