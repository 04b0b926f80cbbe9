// Property-based tests (fast-check) of the parts that take untrusted input: the config loader (any
// YAML-ish text or JSON value is a config or a CONFIG_* GuardError, never another exception), the
// duration parser, and the log readers (any bytes: records and a skipped count, the backward and
// forward readers agreeing on the records).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { loadConfig } from '../../src/config/load.js';
import { GuardError } from '../../src/errors.js';
import { readLogForward } from '../../src/log/reader.js';
import { readLogBackward } from '../../src/log/tail-reader.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-props-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Loads `text` as the config file `name`; the outcome is 'ok' or the error's code, anything else fails.
async function outcome(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, text);
  try {
    await loadConfig({ file, env: {}, cwd: dir });
    return 'ok';
  } catch (err) {
    if (err instanceof GuardError && err.code.startsWith('CONFIG_')) return err.code;
    throw err;
  }
}

const TOP = ['interval', 'schedule', 'cycle_timeout', 'log_file', 'scheduler_log', 'health', 'latency', 'resources', 'actions', 'heal', 'alert', 'heartbeat', 'bogus'];
const NESTED = ['url', 'timeout', 'expect_status', 'headers', 'ca_file', 'confirm', 'window', 'sigma', 'min_samples', 'procfs', 'cpu_sample', 'unhealthy', 'command', 'cooldown', 'max_per_hour', 'webhook', 'nope'];
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom('10s', '-1s', '0', '1e400', '5m3', 'heal', 'http://127.0.0.1:1/x', 'http://u:p@/', [], ['sh', '-c', 'x'], ''),
);
const section = fc.dictionary(fc.constantFrom(...NESTED), value, { maxKeys: 5 });
const config = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.constantFrom(...TOP), fc.oneof(value, section), { maxKeys: 6 }));
const yamlish = fc.string({ unit: fc.constantFrom('interval', 'health', 'url', ':', ': ', ' ', '  ', '\n', '\t', '- ', '"', "'", '[', ']', '{', '}', '#', '&a', '!!', '10s', '-5', '%', '\u0000', 'é', '\r\n'), maxLength: 40 });

describe('the config loader on arbitrary input', () => {
  it('any JSON value: a config or a CONFIG_* GuardError, nothing else', async () => {
    await fc.assert(fc.asyncProperty(config, async (raw) => {
      expect(['ok', 'CONFIG_INVALID']).toContain(await outcome('c.json', JSON.stringify(raw) ?? 'null'));
    }), { numRuns: 200 });
  });

  it('any YAML-ish text: a config or a CONFIG_* GuardError, nothing else', async () => {
    await fc.assert(fc.asyncProperty(yamlish, async (text) => {
      expect(['ok', 'CONFIG_INVALID', 'CONFIG_SYNTAX']).toContain(await outcome('c.yaml', text));
    }), { numRuns: 300 });
  });

  // Found by this suite: doc.toJS() threw a ReferenceError for an alias whose anchor is missing.
  it('an alias without its anchor (*a) is a CONFIG_SYNTAX error', async () => {
    expect(await outcome('alias.yaml', 'interval: *a\n')).toBe('CONFIG_SYNTAX');
  });

  it('any text as a .json file: a config or a CONFIG_* GuardError', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 40 }), async (text) => {
      expect(['ok', 'CONFIG_INVALID', 'CONFIG_SYNTAX']).toContain(await outcome('t.json', text));
    }), { numRuns: 150 });
  });
});

describe('the duration parser', () => {
  it('takes anything and returns milliseconds (a number, not NaN) or null, never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.string(), fc.stringMatching(/^[0-9.]{0,6}(ms|s|m|h|d){0,2}[0-9]{0,3}$/)), (input) => {
      const ms = parseDuration(input);
      expect(ms === null || !Number.isNaN(ms)).toBe(true);
      if (typeof input === 'string' && ms !== null) expect(ms).toBeGreaterThanOrEqual(0);
    }), { numRuns: 500 });
  });

  // Found by this suite: a 400-digit number of seconds, or a number near Number.MAX_VALUE, parsed to Infinity ms.
  it('a duration too large for a number is not a duration (null)', () => {
    expect(parseDuration('9'.repeat(400))).toBeNull();
    expect(parseDuration(1.8e305)).toBeNull(); // 1.8e308 ms: past Number.MAX_VALUE
  });

  it('reads back what formatDuration writes, for any whole number of milliseconds', () => {
    fc.assert(fc.property(fc.nat({ max: 2 ** 45 }), (ms) => {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }), { numRuns: 500 });
  });
});

describe('the log readers on arbitrary bytes', () => {
  const record = fc.record({ ts: fc.string({ maxLength: 8 }), n: fc.integer(), s: fc.string({ maxLength: 6, unit: 'binary' }) }).map((r) => JSON.stringify(r));
  const garbage = fc.oneof(
    fc.string({ maxLength: 12, unit: 'binary' }).filter((s) => !s.includes('\n')),
    fc.constantFrom('{"ts":"2026-01-01T00:00:00.000000Z","lat":{"late', '[1,2]', 'null', '"x"', '{', '   ', '{"a":1}{"b":2}'),
    fc.uint8Array({ maxLength: 6 }).map((b) => Buffer.from(b.filter((x) => x !== 0x0a)).toString('latin1')),
  );
  const line = fc.oneof({ weight: 3, arbitrary: record }, { weight: 2, arbitrary: garbage });
  // Partial UTF-8: a multibyte character cut anywhere.
  const cut = fc.constantFrom(Buffer.from([0xe2, 0x82]), Buffer.from([0xc3]), Buffer.from([0xf0, 0x9f, 0x98]), Buffer.from([0x80, 0xbf]));
  const content = fc.tuple(fc.array(fc.oneof(line.map((l) => Buffer.from(l, 'utf8')), cut), { maxLength: 25 }), fc.boolean()).map(([parts, endNl]) => {
    const body = Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('\n'), p])));
    return endNl && body.length > 0 ? Buffer.concat([body, Buffer.from('\n')]) : body;
  });

  async function both(bytes: Buffer, chunk: number) {
    const file = join(dir, 'log.ndjson');
    writeFileSync(file, bytes);
    const backward: string[] = [];
    const back = readLogBackward(file, (_r, l) => (backward.push(l), true), { chunkBytes: chunk });
    const forward: string[] = [];
    const stats = { skipped: 0 };
    for await (const r of readLogForward(file, { chunkBytes: chunk, stats })) forward.push(r.line);
    return { backward: backward.reverse(), forward, backSkipped: back.skipped, forwardSkipped: stats.skipped };
  }

  it('never crash; a file ending in a newline reads the same records and skipped count both ways, at any chunk size', async () => {
    await fc.assert(fc.asyncProperty(content, fc.integer({ min: 1, max: 70 }), async (bytes, chunk) => {
      const r = await both(bytes, chunk);
      for (const l of r.backward) expect(typeof JSON.parse(l)).toBe('object');
      if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) {
        expect(r.forward).toEqual(r.backward);
        expect(r.forwardSkipped).toBe(r.backSkipped);
      } else {
        // The forward reader leaves an unterminated last line for later (a writer may be mid-append).
        expect(r.backward.slice(0, r.forward.length)).toEqual(r.forward);
        expect(r.backward.length - r.forward.length).toBeLessThanOrEqual(1);
      }
    }), { numRuns: 300 });
  });
});
