import { describe, expect, it } from 'vitest';
import { CheckLine } from './check-line.js';
import { skimCheck } from './check-skim.js';
import { checkViewOf } from './check-view.js';
import { SKIM_FAIL } from './json-skim.js';
import { OWN_MATCHERS, OWN_TEXTS } from './own-line.js';

describe('own-line matchers', () => {
  it.each(OWN_TEXTS.map((text, i) => ({ text, i })))('$text matches its own bytes and no other', ({ text, i }) => {
    const match = OWN_MATCHERS[i] as (d: DataView, p: number) => boolean;
    const bytes = Buffer.alloc(text.length + 64, 0x20);
    bytes.write(text, 3);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    expect(match(dv, 3)).toBe(true);
    for (let k = 0; k < text.length; k++) {
      const bent = Buffer.from(bytes);
      bent[3 + k] = (bent[3 + k] as number) ^ 0x01;
      expect(match(new DataView(bent.buffer, bent.byteOffset, bent.length), 3), `byte ${k}`).toBe(false);
    }
  });
});

// The own-form numbers are read in one loop in skimOwn: a value JSON.parse refuses, in any slot, must not be
// read as a check (skimCheck declines the line, and JSON.parse then counts it as not an object).
describe('skimOwn: values that are not JSON in each slot of the own form', () => {
  const TS = '2025-10-21T08:35:00.123456Z';
  const line = (v: Record<string, string>): string =>
    `{"ts":"${TS}","lat":{"latency_ms":${v.lat ?? '45.2'},"ok":true${v.http === undefined ? '' : `,"http_status":${v.http}`}},"res":{"cpu":${v.cpu ?? '1'},"mem":${v.mem ?? '2'},"disk":${v.disk ?? '3'}},"score":${v.score ?? '0.5'},"mean":${v.mean ?? '4'},"stdev":${v.stdev ?? '5'}}`;
  const room = (text: string): Buffer => Buffer.concat([Buffer.from(`${text}\n`), Buffer.alloc(128)]);
  const SLOTS = ['lat', 'http', 'cpu', 'mem', 'disk', 'score', 'mean', 'stdev'];
  const BAD = ['01', '1.', '-', '.5', '1e', '1e+', '+1', 'nul', 'NaN', '1.2.3', '--1', '0x10'];
  const GOOD = ['0', '-0', '1e3', '1E-2', '-12.5e+3', '123456789012345678', '0.000001', 'null'];

  it.each(SLOTS.flatMap((slot) => BAD.map((value) => ({ slot, value }))))('$slot: $value is declined', ({ slot, value }) => {
    const text = line({ [slot]: value });
    expect(() => JSON.parse(text)).toThrow();
    expect(skimCheck(room(text), 0, new CheckLine())).toBe(SKIM_FAIL);
  });

  it.each(SLOTS.flatMap((slot) => GOOD.map((value) => ({ slot, value }))))('$slot: $value reads as JSON.parse reads it', ({ slot, value }) => {
    const text = line({ [slot]: value });
    const v = new CheckLine();
    expect(skimCheck(room(text), 0, v)).toBe(text.length);
    const want = checkViewOf(JSON.parse(text) as Record<string, unknown>, 0, 0);
    for (const g of ['latencyMs', 'score', 'mean', 'stdev', 'cpu', 'mem', 'disk'] as const) expect(v[g], g).toBe(want[g]);
  });
});
