import { describe, expect, it } from 'vitest';
import { formatTs, parseTs } from '../core/format.js';
import { parseTimeArg, tsPrefix } from './time-range.js';
import { tsParser } from './ts-ms.js';

const NOW = Date.parse('2025-10-21T12:00:00Z');

describe('parseTimeArg', () => {
  it.each([
    { value: '24h', expected: '2025-10-20T12:00:00.000Z' },
    { value: '7d', expected: '2025-10-14T12:00:00.000Z' },
    { value: '1h30m', expected: '2025-10-21T10:30:00.000Z' },
    { value: '3600', expected: '2025-10-21T11:00:00.000Z' },
    { value: '2025-10-01', expected: '2025-10-01T00:00:00.000Z' },
    { value: '2025-10-01T08:00:00Z', expected: '2025-10-01T08:00:00.000Z' },
    { value: '2025-10-01T08:00', expected: '2025-10-01T08:00:00.000Z' },
    { value: '2025-10-01 08:00:00', expected: '2025-10-01T08:00:00.000Z' },
    { value: '2025-10-01T10:00:00+02:00', expected: '2025-10-01T08:00:00.000Z' },
    { value: '2025-10-01T08:00:00.123456Z', expected: '2025-10-01T08:00:00.123Z' },
  ])('reads $value', ({ value, expected }) => {
    expect(new Date(parseTimeArg(value, NOW) as number).toISOString()).toBe(expected);
  });

  it.each(['yesterday', '', '10x', '2025-13-01', '21/10/2025'])('rejects %j', (value) => {
    expect(parseTimeArg(value, NOW)).toBeNull();
  });
});

describe('tsPrefix', () => {
  it.each([
    { name: 'a check record', line: '{"ts":"2025-10-21T08:35:00.123456Z","lat":{}}', expected: '2025-10-21T08:35:00.123456Z' },
    { name: 'an event record', line: '{"event":"self_heal","ts":"2025-10-21T08:35:00.123456Z","x":1}', expected: '2025-10-21T08:35:00.123456Z' },
    { name: 'ts without microseconds', line: '{"ts":"2025-10-21T08:35:00Z","lat":{}}', expected: null },
    { name: 'ts not second', line: '{"event":"x","other":1,"ts":"2025-10-21T08:35:00.123456Z"}', expected: null },
    { name: 'an escaped quote in the event', line: '{"event":"a\\",\\"ts\\":\\"","ts":"2025-10-21T08:35:00.123456Z"}', expected: null },
    { name: 'a torn line', line: '{"ts":"2025-10-21T08:3', expected: null },
    { name: 'garbage', line: 'hello', expected: null },
  ])('$name', ({ line, expected }) => {
    expect(tsPrefix(line)).toBe(expected);
  });
});

describe('tsParser', () => {
  it('gives what parseTs gives, for the log format and anything else', () => {
    const parse = tsParser();
    const samples = [
      formatTs(Date.parse('2025-10-21T08:35:00Z') + 0.123),
      '2025-10-21T08:59:59.999999Z',
      '2025-10-21T09:00:00.000001Z',
      '2025-10-21T08:35:00.5Z',
      '2025-10-21T08:35:00Z',
      '2025-10-21T08:60:00.000000Z',
      '2025-10-21T08:35:0x.000000Z',
      'not a time',
      42,
    ];
    for (const ts of samples) expect(Object.is(parse(ts), parseTs(ts)) || parse(ts) === parseTs(ts)).toBe(true);
  });
});
