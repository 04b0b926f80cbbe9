// One CheckLine reused line after line, as the reader uses it: numbers the skimmer left unread are read
// when asked, whichever getters are asked on which line, and never leak into the next line.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckLine } from './check-line.js';
import { skimCheck } from './check-skim.js';
import { checkViewOf } from './check-view.js';

const TS = '2025-10-21T08:35:00.123456Z';
const line = (lat: string, http: string, res: string, stats: string): string =>
  `{"ts":"${TS}","lat":{"latency_ms":${lat},"ok":true${http}},"res":${res},${stats}}`;
const LINES = [
  line('45.2', ',"http_status":200', '{"cpu":42.3,"mem":31.5,"disk":64.8}', '"score":0.55,"mean":43.1,"stdev":3.8'),
  line('7', '', '{"cpu":null,"mem":null,"disk":null}', '"score":null,"mean":null,"stdev":null'),
  line('1e3', ',"http_status":503', '{"cpu":-0.5,"mem":1.25e2,"disk":123456789012345678}', '"score":-2,"mean":0,"stdev":0.000001'),
  line('0.1', '', '{"cpu":100,"mem":0.1,"disk":99.99}', '"score":12.34,"mean":null,"stdev":5'),
];
// A line in a buffer with room after it, as the reader's 1 MiB buffer has: the own-form skimmer reads it
// to its end (it leaves a line to the key-by-key skimmer where fewer than 64 bytes follow a value).
const bytes = (text: string): Buffer => Buffer.concat([Buffer.from(`${text}\n`), Buffer.alloc(128)]);
const GETTERS = ['latencyMs', 'score', 'mean', 'stdev', 'cpu', 'mem', 'disk'] as const;

describe('CheckLine reused across skimmed lines', () => {
  it.each([0, 1, 2, 3])('gives JSON.parse values for every getter asked, asking on round %i', (round) => {
    const v = new CheckLine();
    for (let i = 0; i < 3 * LINES.length; i++) {
      const text = LINES[i % LINES.length] as string;
      const b = bytes(text);
      expect(skimCheck(b, 0, v)).toBe(text.length);
      const want = checkViewOf(JSON.parse(text) as Record<string, unknown>, 0, 0);
      // Some lines are not asked at all, others only some getters, some twice: all must agree.
      const asked = GETTERS.filter((_, k) => (i + k + round) % 3 !== 0);
      for (const g of [...asked, ...asked.slice(0, 2)]) expect(v[g], `line ${i} ${g}`).toBe(want[g]);
    }
  });
});

describe('CheckLine: a number left unread on one line', () => {
  it('is not read on the next line, where the same place holds another number', () => {
    const v = new CheckLine();
    const first = line('1', '', '{"cpu":1,"mem":2,"disk":3}', '"score":1,"mean":1,"stdev":1');
    const next = line('1', '', '{"cpu":123456789,"mem":null,"disk":null}', '"score":1,"mean":null,"stdev":null');
    expect(skimCheck(bytes(first), 0, v)).toBe(first.length); // mem, disk, mean, stdev not asked
    expect(v.pending).not.toBe(0); // left unread: the case under test
    expect(skimCheck(bytes(next), 0, v)).toBe(next.length);
    expect([v.mem, v.disk, v.mean, v.stdev, v.cpu]).toEqual([null, null, null, null, 123456789]);
  });
});

// Own-form lines with any numbers: read to their end by the own-form skimmer (room after them), every
// getter asked in a random order, or not at all, on one view reused line after line.
const num = fc.oneof(fc.constant('null'), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)), fc.constantFrom('-0', '1e5', '0.1000', '45.123', '1234567890.123456789'));
const ownLine = fc
  .record({ lat: num, http: fc.option(num), res: fc.tuple(num, num, num), stats: fc.tuple(num, num, num) })
  .map(({ lat, http, res, stats }) =>
    line(lat, http === null ? '' : `,"http_status":${http}`, `{"cpu":${res[0]},"mem":${res[1]},"disk":${res[2]}}`, `"score":${stats[0]},"mean":${stats[1]},"stdev":${stats[2]}`),
  );

describe('CheckLine on own-form lines (fast-check)', () => {
  it('gives what JSON.parse gives, whichever getters are asked', () => {
    const v = new CheckLine();
    fc.assert(
      fc.property(ownLine, fc.shuffledSubarray([...GETTERS]), (text, asked) => {
        expect(skimCheck(bytes(text), 0, v)).toBe(text.length);
        const want = checkViewOf(JSON.parse(text) as Record<string, unknown>, 0, 0);
        for (const g of asked) expect(v[g]).toBe(want[g]);
      }),
      { numRuns: 3000 },
    );
  });
});
