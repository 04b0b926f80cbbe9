import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readNumber, SKIM_FAIL, skipValue } from './json-skim.js';

// The text's bytes followed by a 0 byte, as the reader leaves it after the data.
const bytes = (text: string): Buffer => Buffer.concat([Buffer.from(text), Buffer.from([0])]);

function numberOf(text: string): { end: number; value: number } {
  const out = new Float64Array(1);
  const end = readNumber(bytes(text), 0, out, 0);
  return { end, value: out[0] as number };
}

describe('readNumber', () => {
  it.each(['0', '-0', '1', '45.2', '-0.001', '0.1', '57.694', '123456789012345', '1234567890123456', '9007199254740993', '1e5', '1E-3', '2.5e+10', '-1.5e-7', '1e400', '-1e400', '4.9e-324', '0.30000000000000004', '3.14159265358979323846'])(
    '%s reads as JSON.parse reads it, to the bit',
    (text) => {
      const { end, value } = numberOf(text);
      expect(end).toBe(text.length);
      expect(Object.is(value, JSON.parse(text))).toBe(true);
    },
  );

  it.each(['-', '+1', '.5', '1.', '1e', '1e+', '-x', 'x'])('%s is not a JSON number: it fails', (text) => {
    expect(numberOf(text).end).toBe(SKIM_FAIL);
  });

  it.each([
    ['01', 1],
    ['1.5.2', 3],
    ['12abc', 2],
  ])('%s: the number ends at %i, and what follows is the caller\'s to refuse', (text, end) => {
    expect(numberOf(text).end).toBe(end);
  });

  it('any double written by JSON.stringify reads back as JSON.parse reads it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = JSON.stringify(x);
        expect(Object.is(numberOf(text).value, JSON.parse(text))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('any decimal text (long mantissas, leading zeros in the fraction, exponents) reads as JSON.parse reads it', () => {
    const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
    const intPart = fc.oneof(fc.constant('0'), fc.tuple(fc.constantFrom(...'123456789'), digits(0, 20)).map(([a, b]) => a + b));
    const text = fc
      .tuple(fc.boolean(), intPart, fc.option(digits(1, 24)), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3))))
      .map(([neg, i, f, e]) => `${neg ? '-' : ''}${i}${f === null ? '' : `.${f}`}${e === null ? '' : e.join('')}`);
    fc.assert(
      fc.property(text, (t) => {
        const { end, value } = numberOf(t);
        expect(end).toBe(t.length);
        expect(Object.is(value, JSON.parse(t))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('skipValue', () => {
  it('walks any compact JSON value without escapes to its end', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        const text = JSON.stringify(value);
        const end = skipValue(bytes(text), 0, 0);
        if (text.includes('\\')) expect([text.length, SKIM_FAIL]).toContain(end);
        else expect(end).toBe(text.length);
      }),
      { numRuns: 2000 },
    );
  });

  it.each(['[1,]', '[,1]', '{"a"}', '{"a":}', '{"a":1,}', '{a:1}', "{'a':1}", 'tru', 'nul', 'fals', '[1 2]', '{"a" :1}', '"a\nb"', '"a\\"b"', '"\u0001"', '[', '{', '"open'])(
    '%j is declined or ends early: JSON.parse decides',
    (text) => {
      const end = skipValue(bytes(text), 0, 0);
      expect(end === SKIM_FAIL || end < Buffer.byteLength(text)).toBe(true);
    },
  );

  it('leaves values nested deeper than 32 to JSON.parse', () => {
    const deep = `${'['.repeat(40)}1${']'.repeat(40)}`;
    expect(skipValue(bytes(deep), 0, 0)).toBe(SKIM_FAIL);
    const fine = `${'['.repeat(20)}1${']'.repeat(20)}`;
    expect(skipValue(bytes(fine), 0, 0)).toBe(fine.length);
  });
});
