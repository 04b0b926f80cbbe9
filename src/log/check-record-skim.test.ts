// skimCheckTs says "a check record, at this ts" only of a line the record guards accept as one after JSON.parse,
// and says it of the check records this tool writes; anything else is left to JSON.parse (null).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { skimCheckTs, skimmedWindowFields } from './check-record-skim.js';
import { isCheckRecord } from './records.js';
import { parseLogLine } from './tail-reader.js';

const written = fc.record({
  ts: fc.integer({ min: 0, max: 4e12 }).map((ms) => new Date(ms).toISOString().replace('Z', '123Z')),
  lat: fc.record({ latency_ms: fc.double({ noNaN: true, noDefaultInfinity: true }), ok: fc.boolean(), http_status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: null }), error: fc.option(fc.string(), { nil: null }) }, { requiredKeys: ['latency_ms', 'ok'] }),
  res: fc.record({ cpu: fc.option(fc.double({ min: 0, max: 100, noNaN: true })), mem: fc.option(fc.double({ min: 0, max: 100, noNaN: true })), disk: fc.constant(null) }),
  score: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
  mean: fc.constant(null),
  stdev: fc.constant(null),
  reasons: fc.option(fc.array(fc.string()), { nil: undefined }),
  in_baseline: fc.option(fc.boolean(), { nil: undefined }),
  stalled_ms: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true }), { nil: undefined }),
  target: fc.option(fc.string(), { nil: undefined }),
});

// What JSON.parse and the guards say of the line.
function parsedCheckTs(line: string): string | null {
  const parsed = parseLogLine(line);
  return isCheckRecord(parsed) ? parsed.ts : null;
}

describe('skimCheckTs', () => {
  it('reads the check records this tool writes (plain strings: no escape in them), and what the window reads of them', () => {
    fc.assert(
      fc.property(written, (record) => {
        const line = JSON.stringify(record);
        const skimmed = skimCheckTs(Buffer.from(line));
        if (!line.includes('\\')) expect(skimmed).toBe(record.ts);
        if (skimmed === null) return;
        expect(skimmed).toBe(parsedCheckTs(line));
        const parsed = JSON.parse(line) as { lat: { latency_ms: number; ok: boolean }; in_baseline?: boolean; stalled_ms?: number };
        expect(skimmedWindowFields()).toEqual({ latencyMs: parsed.lat.latency_ms, ok: parsed.lat.ok, inBaseline: parsed.in_baseline, stalledMs: parsed.stalled_ms });
      }),
      { numRuns: 2000 },
    );
  });

  it('never says "check" of a line the guards refuse, whatever is changed in it', () => {
    const edits = fc.tuple(fc.nat(400), fc.nat(400), fc.string({ minLength: 0, maxLength: 3 }), fc.constantFrom('"', ':', ',', '{', '}', '[', ']', 'null', '1', '"x"', 'true', ' ', '\\', '\u00e9', '\n', ''));
    fc.assert(
      fc.property(written, edits, (record, [a, b, text, token]) => {
        let line = JSON.stringify(record);
        const at = a % (line.length + 1);
        line = line.slice(0, at) + token + line.slice(at + (b % 4));
        const at2 = b % (line.length + 1);
        line = line.slice(0, at2) + text + line.slice(at2);
        const skimmed = skimCheckTs(Buffer.from(line));
        if (skimmed !== null) expect(skimmed).toBe(parsedCheckTs(line));
      }),
      { numRuns: 20000 },
    );
  });

  it('leaves events, repeated keys, spaces and escapes to JSON.parse', () => {
    const base = { ts: '2026-12-04T12:00:00.000000Z', lat: { latency_ms: 3, ok: true }, res: { cpu: null, mem: null, disk: null }, score: null, mean: null, stdev: null };
    const line = JSON.stringify(base);
    expect(skimCheckTs(Buffer.from(line))).toBe(base.ts);
    expect(skimCheckTs(Buffer.from(`${line.slice(0, -1)},"event":"self_heal"}`))).toBeNull();
    expect(skimCheckTs(Buffer.from(line.replace('"score":null', '"score":null,"score":"x"')))).toBeNull();
    expect(skimCheckTs(Buffer.from(line.replace('"lat":', '"lat": ')))).toBeNull();
    expect(skimCheckTs(Buffer.from(line.replace('"lat":', '"l\\u0061t":')))).toBeNull();
    expect(skimCheckTs(Buffer.from(line.slice(0, -1)))).toBeNull();
    expect(skimCheckTs(Buffer.from(line.replace('"ok":true', '"ok":1')))).toBeNull();
  });
});
