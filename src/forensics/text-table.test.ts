import { describe, expect, it } from 'vitest';
import { alignTable, count, size, span } from './text-table.js';

describe('span', () => {
  it.each([
    [null, '-'],
    [0, '0s'],
    [250, '250ms'],
    [12_500, '12.5s'],
    [59_000, '59s'],
    [302_000, '5m 02s'],
    [3_600_000, '1h 00m'],
    [11_100_000, '3h 05m'],
    [187_200_000, '2d 04h'],
  ])('%j ms → %s', (ms, text) => expect(span(ms)).toBe(text));
});

describe('alignTable, count, size', () => {
  it('aligns columns left or right, two spaces apart, with no trailing blanks', () => {
    expect(alignTable([['a', '1', ''], ['long name', '1,234', '']], 'lrl')).toEqual(['  a              1', '  long name  1,234']);
  });

  it('formats counts and sizes', () => {
    expect([count(1234567), size(157_400_000), size(2048), size(336)]).toEqual(['1,234,567', '157.4 MB', '2.0 kB', '336 B']);
  });
});
