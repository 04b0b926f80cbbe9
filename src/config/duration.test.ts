import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1.5s', 1500],
    [' 10s ', 10_000],
    ['60', 60_000],
    [60, 60_000],
    [0.25, 250],
    ['0s', 0],
  ])('%j is %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each([['ten'], [''], ['10 s'], ['10sec'], ['-5s'], ['5m3'], [null], [true], [Number.NaN], [[]], [{}]])(
    '%j is not a duration',
    (input) => {
      expect(parseDuration(input)).toBeNull();
    },
  );
});

describe('formatDuration', () => {
  it.each([
    [250, '250ms'],
    [10_000, '10s'],
    [300_000, '5m'],
    [3_600_000, '1h'],
    [1500, '1500ms'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
