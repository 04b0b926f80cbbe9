import { describe, expect, it } from 'vitest';
import { checkSeriesHeader, parseSeriesRow, parseSeriesTimestamp } from './series-csv.js';

describe('parseSeriesTimestamp', () => {
  const at = Date.UTC(2014, 3, 10, 7, 15, 0);
  const cases: [string, number][] = [
    ['2014-04-10 07:15:00', at],
    ['2014-04-10 07:15:00.000000', at],
    ['2014-04-10 07:15', at],
    ['2014-04-10T07:15:00Z', at],
    ['2014-04-10T07:15:00.250Z', at + 250],
    ['2014-04-10T09:15:00+02:00', at],
    ['2014-04-10T02:15:00-0500', at],
  ];
  for (const [text, ms] of cases) it(`reads ${text}`, () => expect(parseSeriesTimestamp(text)).toBe(ms));

  for (const bad of ['', '2014-04-10', '10/04/2014 07:15', '2014-02-30 00:00:00', '2014-13-01 00:00:00', '2014-04-10 25:00:00', 'now']) {
    it(`refuses "${bad}"`, () => expect(parseSeriesTimestamp(bad)).toBeNaN());
  }
});

describe('header and rows', () => {
  it('accepts the NAB header (also quoted, with a BOM) and refuses anything else', () => {
    expect(checkSeriesHeader('timestamp,value')).toBeNull();
    expect(checkSeriesHeader('\uFEFF"timestamp","value"\r')).toBeNull();
    expect(checkSeriesHeader('2014-04-10 07:15:00,3')).toMatch(/first line must be exactly: timestamp,value/);
  });

  it('keeps the texts and parses the figures', () => {
    expect(parseSeriesRow('2014-04-10 07:15:00,42.5')).toEqual({ ok: true, row: { tsText: '2014-04-10 07:15:00', valueText: '42.5', tsMs: Date.UTC(2014, 3, 10, 7, 15), value: 42.5 } });
  });

  it('says what is wrong with a bad row', () => {
    expect(parseSeriesRow('2014-04-10 07:15:00')).toEqual({ ok: false, problem: 'has 1 fields; each row must be timestamp,value' });
    expect(parseSeriesRow('2014-04-10 07:15:00,abc')).toEqual({ ok: false, problem: 'value "abc" is not a number' });
    expect(parseSeriesRow('2014-04-10 07:15:00,')).toEqual({ ok: false, problem: 'value "" is not a number' });
    expect(parseSeriesRow('yesterday,3')).toMatchObject({ ok: false, problem: expect.stringContaining('timestamp "yesterday" is not a date and time') });
  });
});
