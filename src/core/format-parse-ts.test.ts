// parseTs reads the log's own ts form without a regex: to the same value as the general way, for any text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTs } from './format.js';

// The general way, as parseTs read every ts before its quick path.
function reference(ts: unknown): number {
  if (typeof ts !== 'string') return Number.NaN;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) return Date.parse(ts);
  const frac = (m[2] ?? '').padEnd(6, '0');
  return Date.parse(`${m[1]}Z`) + Number(frac.slice(0, 6)) / 1000;
}

const digits = (n: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: n, maxLength: n }).map((a) => a.join(''));
// Near the log's form: every field any two digits (a 30th of February, an hour 24, a minute 60), 0 to 10 fraction
// digits, sometimes a byte changed.
const nearTs = fc
  .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.nat(10), fc.option(fc.tuple(fc.nat(30), fc.string({ minLength: 1, maxLength: 1 })), { nil: undefined }))
  .chain(([y, mo, d, h, mi, s, n, change]) =>
    digits(n).map((frac) => {
      const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${n > 0 || change !== undefined ? `.${frac}` : ''}Z`;
      if (change === undefined) return text;
      const at = change[0] % text.length;
      return text.slice(0, at) + change[1] + text.slice(at + 1);
    }),
  );

describe('parseTs', () => {
  it('reads the log form to the same value as the general way (or both NaN)', () => {
    fc.assert(
      fc.property(nearTs, (ts) => {
        expect(Object.is(parseTs(ts), reference(ts)) || (Number.isNaN(parseTs(ts)) && Number.isNaN(reference(ts)))).toBe(true);
      }),
      { numRuns: 20000 },
    );
  });

  it('agrees on real times, other strings and other types', () => {
    const times = fc.integer({ min: -62135596800000, max: 253402300799999 }).map((ms) => new Date(ms).toISOString());
    fc.assert(fc.property(fc.oneof(times, times.map((t) => t.replace('Z', '123Z')), fc.string(), fc.anything()), (ts) => {
      const a = parseTs(ts);
      const b = reference(ts);
      expect(a === b || (Number.isNaN(a) && Number.isNaN(b))).toBe(true);
    }), { numRuns: 5000 });
    expect(parseTs('2025-10-21T08:35:00.123456Z')).toBe(Date.parse('2025-10-21T08:35:00Z') + 123.456);
    expect(parseTs('2025-10-21T08:35:00Z')).toBe(Date.parse('2025-10-21T08:35:00Z'));
  });
});
