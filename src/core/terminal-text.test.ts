import { describe, expect, it } from 'vitest';
import { bounded, terminalLine, visible, visibleJson, visibleLines } from './terminal-text.js';

describe('visible', () => {
  it.each([
    ['an ANSI colour', 'a\u001b[31mred\u001b[0m', 'a\\x1b[31mred\\x1b[0m'],
    ['an OSC title with BEL', '\u001b]0;owned\u0007', '\\x1b]0;owned\\x07'],
    ['a C1 CSI (U+009B) and DEL', '\u009b2J\u007f', '\\x9b2J\\x7f'],
    ['tab, newline, CR and NUL', 'a\tb\nc\rd\u0000', 'a\\tb\\nc\\rd\\x00'],
    ['bidi overrides and isolates', '\u202eevil\u2066x\u2069\u200f', '\\u202eevil\\u2066x\\u2069\\u200f'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['printable text, accents and emoji stay', 'héllo → 😀 ±3σ', 'héllo → 😀 ±3σ'],
  ])('%s', (_name, text, want) => expect(visible(text)).toBe(want));

  it('visibleLines keeps newlines and escapes the rest', () => {
    expect(visibleLines('one\u001b[2J\ntwo\r\n')).toBe('one\\x1b[2J\ntwo\\r\n');
  });

  it('visibleJson is the same JSON value with nothing a terminal acts on', () => {
    const value = { s: 'a\u001b[2J\u009b\u007f\u202e\u2028\ud800', n: [1, 'é'] };
    const text = visibleJson(JSON.stringify(value, null, 2));
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2028\u2029]/);
  });
});

describe('bounded', () => {
  it('leaves a short line alone and cuts a long one, saying how much more there was', () => {
    expect(bounded('abc', 5)).toBe('abc');
    expect(bounded('abcdefgh', 5, 'tail --json')).toBe('abcde… [3 more characters; tail --json prints the whole record]');
  });

  it('never cuts between the two halves of a surrogate pair', () => {
    expect(bounded('abcd😀xyz', 5)).toBe('abcd… [5 more characters; --json prints the whole record]');
  });

  it('terminalLine escapes first, then bounds what is shown', () => {
    const line = terminalLine(`${'\u001b'.repeat(600)}tail`);
    expect(line.startsWith('\\x1b'.repeat(250))).toBe(true);
    expect(line).toBe(`${'\\x1b'.repeat(250)}… [1404 more characters; --json prints the whole record]`);
  });
});
