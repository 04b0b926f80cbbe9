// The skimmer against JSON.parse: whatever line it takes, it reads what checkViewOf(JSON.parse(line))
// reads; it declines every line JSON.parse refuses; and it takes the compact lines this tool writes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckLine } from './check-line.js';
import { skimCheck } from './check-skim.js';
import { checkViewOf, isCheckObject, type CheckView } from './check-view.js';

const fields = (v: CheckView) => ({ ts: v.ts, ok: v.ok, latencyMs: v.latencyMs, score: v.score, mean: v.mean, stdev: v.stdev, cpu: v.cpu, mem: v.mem, disk: v.disk, reasons: [...v.reasons] });

// The view the skimmer reads from `line`, or null when it declines the line.
function skim(line: string): ReturnType<typeof fields> | null {
  const b = Buffer.concat([Buffer.from(`${line}\n`), Buffer.from([0])]);
  const v = new CheckLine();
  const end = skimCheck(b, 0, v);
  if (end < 0) return null;
  expect(end).toBe(b.length - 2);
  return fields(v);
}

// What JSON.parse makes of the line: the check's view, 'other' for other JSON, 'invalid' when it throws.
function reference(line: string): ReturnType<typeof fields> | 'other' | 'invalid' {
  let rec: unknown;
  try {
    rec = JSON.parse(line);
  } catch {
    return 'invalid';
  }
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec) || !isCheckObject(rec as Record<string, unknown>)) return 'other';
  return fields(checkViewOf(rec as Record<string, unknown>, 0, 0));
}

const TS = '2025-10-21T08:35:00.123456Z';
const OWN = `{"ts":"${TS}","lat":{"latency_ms":45.2,"ok":true,"http_status":200},"res":{"cpu":42.3,"mem":31.5,"disk":64.8},"score":0.55,"mean":43.1,"stdev":3.8}`;

describe('skimCheck: lines it reads, as JSON.parse does', () => {
  it.each([
    { name: "the tool's own check record", line: OWN },
    { name: 'a failed probe with its error, attempts and reasons', line: `{"ts":"${TS}","lat":{"latency_ms":10000.5,"ok":false,"http_status":null,"error":"timeout after 10000 ms","attempts":2},"res":{"cpu":null,"mem":31.5,"disk":64.8},"score":null,"mean":null,"stdev":null,"reasons":["health_unhealthy (timeout after 10000 ms)","cpu_critical (92.1%)"]}` },
    { name: 'keys in another order', line: `{"score":1.5,"res":{"disk":1,"cpu":2,"mem":3},"lat":{"ok":true,"latency_ms":7},"stdev":1,"ts":"${TS}","mean":2}` },
    { name: 'nested extra fields (detector, arrays, objects)', line: `{"ts":"${TS}","lat":{"latency_ms":1,"ok":true,"timing":{"dns":[1,2,{"x":null}]}},"res":{},"detector":{"name":"rank-cusum","score":0.9,"anomaly":false},"clock_back_ms":1200,"score":null}` },
    { name: 'numbers in exponent form and long mantissas', line: `{"ts":"${TS}","lat":{"latency_ms":4.52E1,"ok":true},"score":-1e-7,"mean":12345678901234567890,"stdev":1e400}` },
    { name: 'unicode in reasons and unknown keys', line: `{"ts":"${TS}","lat":{"latency_ms":1,"ok":false},"reasons":["health_unhealthy (status=Dégradé ☃ 𝄞)",7,null,"x"],"note":"é"}` },
    { name: 'values of other types where numbers are expected', line: `{"ts":"${TS}","lat":{"latency_ms":"45","ok":"true"},"res":{"cpu":true,"mem":[1],"disk":{"a":1}},"score":"high","mean":{},"stdev":[]}` },
    { name: 'a ts in another form', line: '{"ts":"2025-10-21 08:35:00","lat":{"latency_ms":1,"ok":true}}' },
    { name: 'negative zero', line: `{"ts":"${TS}","lat":{"latency_ms":-0,"ok":true},"score":-0.0}` },
  ])('$name', ({ line }) => {
    const got = skim(line);
    expect(got).not.toBeNull();
    expect(got).toEqual(reference(line));
  });
});

describe('skimCheck: lines it leaves to JSON.parse', () => {
  it.each([
    { name: 'an event record', line: `{"event":"anomaly_trigger","ts":"${TS}","reasons":["x"],"lat":{}}` },
    { name: 'an event key after lat', line: `{"ts":"${TS}","lat":{"ok":true},"event":null}` },
    { name: 'no lat', line: `{"ts":"${TS}","score":1}` },
    { name: 'lat that is not an object', line: `{"ts":"${TS}","lat":[1,2]}` },
    { name: 'no ts', line: '{"lat":{"ok":true}}' },
    { name: 'a ts that is not a string', line: '{"ts":1761035700,"lat":{"ok":true}}' },
    { name: 'a repeated key (JSON.parse keeps the last)', line: `{"ts":"${TS}","lat":{"ok":true},"score":1,"score":2}` },
    { name: 'a repeated key inside lat', line: `{"ts":"${TS}","lat":{"ok":true,"ok":false}}` },
    { name: 'whitespace', line: `{"ts": "${TS}","lat":{"ok":true}}` },
    { name: 'an escape in a string', line: `{"ts":"${TS}","lat":{"ok":true},"reasons":["a\\"b"]}` },
    { name: 'a torn line', line: OWN.slice(0, 80) },
    { name: 'trailing text', line: `${OWN}x` },
    { name: 'a CRLF line end', line: `${OWN}\r` },
    { name: 'an empty object', line: '{}' },
    { name: 'an array', line: '[1,2]' },
    { name: 'a byte-order mark', line: `\uFEFF${OWN}` },
  ])('$name', ({ line }) => {
    expect(skim(line)).toBeNull();
  });
});

// Record-like lines: keys (known ones, repeated ones, others) in any order, values of any type written as
// JSON text (also texts JSON.stringify never writes: -0, exponents), some lines then bent out of shape.
const jsonText = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.constantFrom('-0', '1e5', '-2.5E-3', '1e400', '0.1000', '12345678901234567890', 'true', 'false', 'null', '"é ☃"', '[]', '{}') },
);
const tsText = fc.oneof(fc.constant(JSON.stringify(TS)), fc.date({ noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString())), jsonText);
const latText = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.tuple(fc.constantFrom('latency_ms', 'ok', 'http_status', 'error', 'ok', 'x'), fc.oneof(jsonText, fc.constantFrom('true', 'false'))), { maxLength: 5 }).map(members) },
  { weight: 1, arbitrary: jsonText },
);
const resText = fc.array(fc.tuple(fc.constantFrom('cpu', 'mem', 'disk', 'cpu', 'y'), jsonText), { maxLength: 4 }).map(members);
const reasonsText = fc.array(fc.oneof(fc.string().map((s) => JSON.stringify(s)), jsonText), { maxLength: 4 }).map((items) => `[${items.join(',')}]`);
const member = fc.oneof(
  fc.tuple(fc.constant('ts'), tsText),
  fc.tuple(fc.constant('lat'), latText),
  fc.tuple(fc.constant('res'), resText),
  fc.tuple(fc.constantFrom('score', 'mean', 'stdev'), jsonText),
  fc.tuple(fc.constant('reasons'), reasonsText),
  fc.tuple(fc.constantFrom('event', 'detector', '__proto__', 'é', 'lat ', 'Ts'), jsonText),
);
function members(pairs: [string, string][]): string {
  return `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}
const recordLine = fc
  .tuple(fc.constantFrom('ts', 'lat'), fc.constantFrom('ts', 'lat'), fc.array(member, { maxLength: 8 }))
  .chain(([a, b, rest]) => fc.shuffledSubarray([[a, JSON.stringify(TS)], [b, '{"ok":true,"latency_ms":1}'], ...rest] as [string, string][], { minLength: 1 }))
  .map(members);
const bent = fc.tuple(recordLine, fc.nat(), fc.constantFrom('cut', 'space', 'byte', 'none')).map(([line, at, how]) => {
  const i = line.length === 0 ? 0 : at % line.length;
  if (how === 'cut') return line.slice(0, i);
  if (how === 'space') return `${line.slice(0, i)} ${line.slice(i)}`;
  if (how === 'byte') return `${line.slice(0, i)}${String.fromCharCode(at % 128)}${line.slice(i + 1)}`;
  return line;
});

// Lines in this tool's own form (the 4-bytes-at-a-time path), with any numbers, nulls, an http_status or
// not, and any members after stdev (the key-by-key path takes over there).
const num = fc.oneof(fc.constant('null'), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)), fc.constantFrom('-0', '1e5', '0.1000', '45.123'));
const ownLine = fc
  .record({
    ts: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '123Z')),
    latency: num,
    ok: fc.boolean(),
    http: fc.option(num),
    res: fc.tuple(num, num, num),
    stats: fc.tuple(num, num, num),
    after: fc.array(member, { maxLength: 3 }),
  })
  .map(({ ts, latency, ok, http, res, stats, after }) => {
    const lat = `{"latency_ms":${latency},"ok":${ok}${http === null ? '' : `,"http_status":${http}`}}`;
    const head = `{"ts":"${ts}","lat":${lat},"res":{"cpu":${res[0]},"mem":${res[1]},"disk":${res[2]}},"score":${stats[0]},"mean":${stats[1]},"stdev":${stats[2]}`;
    return `${head}${after.map(([k, v]) => `,${JSON.stringify(k)}:${v}`).join('')}}`;
  });

describe('skimCheck on lines in the tool\'s own form (fast-check)', () => {
  it('reads them as JSON.parse does, also with members after stdev and when bent', () => {
    const bentOwn = fc.tuple(ownLine, fc.nat(), fc.constantFrom('cut', 'byte', 'none')).map(([line, at, how]) => {
      const i = at % line.length;
      if (how === 'cut') return line.slice(0, i);
      if (how === 'byte') return `${line.slice(0, i)}${String.fromCharCode(32 + (at % 95))}${line.slice(i + 1)}`;
      return line;
    });
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(ownLine, bentOwn), (line) => {
        const got = skim(line);
        if (got === null) return;
        read++;
        expect(got).toEqual(reference(line));
      }),
      { numRuns: 4000 },
    );
    expect(read).toBeGreaterThan(800);
  });

  it('takes every one without a repeated key after stdev', () => {
    fc.assert(
      fc.property(ownLine, (line) => {
        const after = line.slice(line.indexOf('"stdev":'));
        if (line.includes('\\')) return;
        if (/"(ts|lat|res|score|mean|stdev|event)":/.test(after.slice(8)) || (after.match(/"reasons":/g) ?? []).length > 1) return;
        expect(skim(line)).toEqual(reference(line));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('skimCheck on arbitrary lines (fast-check)', () => {
  it('reads what JSON.parse reads, and declines whatever JSON.parse refuses or reads as no check', () => {
    fc.assert(
      fc.property(fc.oneof(recordLine, bent), (line) => {
        const got = skim(line);
        if (got === null) return;
        expect(got).toEqual(reference(line));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes every compact check line without escapes or a repeated known key', () => {
    const known = ['ts', 'lat', 'res', 'score', 'mean', 'stdev', 'reasons', 'event', 'latency_ms', 'ok', 'cpu', 'mem', 'disk'];
    let taken = 0;
    fc.assert(
      fc.property(recordLine, (line) => {
        const ref = reference(line);
        if (typeof ref !== 'object' || line.includes('\\')) return;
        const rec = JSON.parse(line) as Record<string, unknown>;
        const keys = [...line.matchAll(/"([^"]*)":/g)].map((m) => m[1]);
        if (known.some((k) => keys.filter((x) => x === k).length > 1) || typeof rec.ts !== 'string' || Array.isArray(rec.lat)) return;
        expect(skim(line)).toEqual(ref);
        taken++;
      }),
      { numRuns: 4000 },
    );
    expect(taken).toBeGreaterThan(100); // of 4000 lines, about 190 qualify
  });
});
