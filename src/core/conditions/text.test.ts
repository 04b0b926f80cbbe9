// The pieces conditions are built on: JSON text without recursion (the same text as JSON.stringify), glob
// patterns as Gatus matches them, numbers and durations, and the time-left display.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchGlob, parseGlob } from './glob.js';
import { formatSpan, numberOf } from './numbers.js';
import { jsonText, printable } from './text.js';

describe('jsonText', () => {
  it('writes what JSON.stringify writes, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => jsonText(value, Infinity) === JSON.stringify(value)));
  });

  it('stops soon after the bound, whatever the size', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => ({ i }));
    const text = jsonText(big, 50);
    expect(text.length).toBeLessThan(70);
    expect(JSON.stringify(big).startsWith(text)).toBe(true);
  });

  it('printable cuts with an ellipsis and replaces what would break a line', () => {
    expect(printable('a\nb\u2028c', 60)).toBe('a?b?c');
    expect(printable('x'.repeat(61), 60)).toBe(`${'x'.repeat(59)}…`);
    expect(printable('x'.repeat(60), 60)).toBe('x'.repeat(60));
  });
});

describe('pat(): globs as Gatus matches them', () => {
  const cases: [glob: string, text: string, matches: boolean][] = [
    ['*', '', true],
    ['john*', 'johnny', true],
    ['john*', 'Johnny', false],
    ['*Healthy*', 'Prometheus Server is Healthy.\n', true],
    ['*<h1>Example Domain</h1>*', '<html>\n<h1>Example Domain</h1>\n</html>', true],
    ['192.168.*.*', '192.168.1.20', true],
    ['192.168.*.*', '10.0.0.1', false],
    ['v?.?', 'v1.2', true],
    ['v?.?', 'v1.23', false],
    ['[abc]x', 'bx', true],
    ['[a-c]x', 'dx', false],
    ['[^a-c]x', 'dx', true],
    ['\\*literal', '*literal', true],
    ['\\*literal', 'aliteral', false],
    ['*a*b*c*', `${'a'.repeat(100_000)}b${'x'.repeat(100_000)}`, false],
  ];
  it.each(cases)('%s on %j → %s', (glob, text, matches) => {
    const parsed = parseGlob(glob);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(matchGlob(parsed.tokens, text)).toBe(matches);
  });
});

describe('numbers and durations', () => {
  const cases: [text: string, value: number | null][] = [
    ['200', 200], ['-1.5', -1.5], ['1e3', 1000], ['500ms', 500], ['1s', 1000], ['1h30m', 5_400_000], ['7d', 604_800_000], ['168h', 604_800_000],
    ['fast', null], ['1.2.3', null], ['', null], ['10 s', null],
  ];
  it.each(cases)('%j → %s', (text, value) => expect(numberOf(text)).toBe(value));

  const spans: [ms: number, shown: string][] = [
    [0, '0s'], [59_000, '59s'], [61_000, '1m1s'], [86_340_000, '23h59m'], [3 * 86_400_000 + 5 * 3_600_000 + 59_000, '3d5h'], [86_400_000 + 59_000, '1d'], [-90_000, '-1m30s'],
  ];
  it.each(spans)('%d ms shows as %s', (ms, shown) => expect(formatSpan(ms)).toBe(shown));
});
