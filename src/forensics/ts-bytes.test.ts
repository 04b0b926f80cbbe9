import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTs } from '../core/format.js';
import { tsPrefix } from './time-range.js';
import { ASK_TEXT, compareTs, NO_PREFIX, tsBytesParser, tsPrefixAt, tsTextOfUs } from './ts-bytes.js';
import { tsParser } from './ts-ms.js';

const TS = '2025-10-21T08:35:00.123456Z';

// tsMs and tsUs of a ts read from bytes, with other text around it.
function readTs(parse: ReturnType<typeof tsBytesParser>, ts: string): { tsMs: number; tsUs: number } {
  const b = Buffer.from(`{"ts":"${ts}","lat":{}}\n`);
  const out = { tsMs: 0, tsUs: 0 };
  parse.read(b, 7, 7 + Buffer.byteLength(ts), out);
  return out;
}

const ODD = [
  TS,
  '2025-10-21T08:35:00Z',
  '2025-10-21T08:35:00.1Z',
  '2025-10-21T08:35:00.123456789Z',
  '2025-10-21T08:35:00.123456+02:00',
  '2025-02-30T08:35:00.123456Z', // read as 2 March
  '2025-13-01T08:35:00.123456Z',
  '2025-10-21T24:00:00.000000Z',
  '2025-10-21T23:60:00.000000Z',
  '2025-10-21T08:35:00.12345xZ',
  '0000-01-01T00:00:00.000000Z',
  '1969-12-31T23:59:59.999999Z',
  '9999-12-31T23:59:59.999999Z',
  '2025-10-2éT08:35:00.123456Z',
  '2025/10/21T08:35:00.123456Z',
  '',
  'yesterday',
];

describe('tsBytesParser', () => {
  it.each(ODD)('%j: the same ms as tsParser', (ts) => {
    const got = readTs(tsBytesParser(), ts).tsMs;
    expect(Object.is(got, tsParser()(ts))).toBe(true);
  });

  it('agrees with tsParser on any time in the log format, and tsUs gives back the text', () => {
    const parse = tsBytesParser();
    const slow = tsParser();
    fc.assert(
      fc.property(fc.date({ min: new Date('1700-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), (d, us) => {
        const ts = formatTs(d.getTime()).replace(/\d{3}Z$/, `${String(us).padStart(3, '0')}Z`);
        const got = readTs(parse, ts);
        expect(Object.is(got.tsMs, slow(ts))).toBe(true);
        expect(tsTextOfUs(got.tsUs)).toBe(ts);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with tsParser on bent timestamps, and has a tsUs only for text it can give back', () => {
    const parse = tsBytesParser();
    const slow = tsParser();
    const bent = fc.tuple(fc.constantFrom(...ODD), fc.nat(30), fc.constantFrom(...'0123456789:.-TZé x')).map(([ts, i, ch]) => `${ts.slice(0, i)}${ch}${ts.slice(i + 1)}`);
    fc.assert(
      fc.property(bent, (ts) => {
        const got = readTs(parse, ts);
        expect(Object.is(got.tsMs, slow(ts))).toBe(true);
        if (!Number.isNaN(got.tsUs)) expect(tsTextOfUs(got.tsUs)).toBe(ts);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('tsPrefixAt', () => {
  const pieces = ['{"ts":"', '{"event":"', 'anomaly_trigger', '","ts":"', '"', ',"ts":"', TS, TS.slice(0, 20), 'é', 'x', '\n', '{', '}'];
  const line = fc.array(fc.constantFrom(...pieces), { maxLength: 6 }).map((p) => p.join(''));

  it('finds the ts that tsPrefix finds, or says to ask the text', () => {
    fc.assert(
      fc.property(line, (text) => {
        const b = Buffer.from(text);
        const nl = b.indexOf(0x0a);
        const at = tsPrefixAt(b, 0, b.length);
        const first = text.split('\n')[0] as string;
        if (at === ASK_TEXT) return;
        if (at === NO_PREFIX) expect(tsPrefix(first)).toBeNull();
        else {
          expect(nl < 0 || at + 28 <= nl).toBe(true);
          expect(b.toString('latin1', at, at + 27)).toBe(tsPrefix(first));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    [`{"ts":"${TS}","lat":{}}`, 7],
    [`{"event":"self_heal","ts":"${TS}"}`, 27],
    [`{"event":"é","ts":"${TS}"}`, ASK_TEXT],
    [`{"lat":{},"ts":"${TS}"}`, NO_PREFIX],
    [`{"ts":"${TS}`, NO_PREFIX],
  ])('%s → %i', (text, expected) => {
    expect(tsPrefixAt(Buffer.from(text), 0, Buffer.byteLength(text))).toBe(expected);
  });
});

describe('compareTs', () => {
  it('orders like string comparison', () => {
    const ts = fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => formatTs(d.getTime()));
    fc.assert(
      fc.property(ts, ts, (a, b) => {
        expect(Math.sign(compareTs(Buffer.from(a), 0, b))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});
