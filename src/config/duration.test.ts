import { describe, expect, it } from 'vitest';
import { durationUnitProblem, formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['10s', 10_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1d2h3m4s5ms', 93_784_005],
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

describe('each unit once, largest first', () => {
  it.each([
    ['5m5m', 'names the unit "m" twice'],
    ['1h30m15m', 'names the unit "m" twice'],
    ['30s1m', 'names "m" after the smaller "s"'],
    ['500ms1s', 'names "s" after the smaller "ms"'],
  ])('%j is not a duration: %s', (input, problem) => {
    expect(parseDuration(input)).toBeNull();
    expect(durationUnitProblem(input)).toBe(problem);
  });

  it.each([['1h30m'], ['10s'], ['ten'], ['5m3'], [42]])('%j has no unit problem', (input) => {
    expect(durationUnitProblem(input)).toBeNull();
  });
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
