import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckView } from './check-view.js';
import type { RecordSink } from './line-handler.js';
import { MAX_LINE_BYTES } from './line-source.js';
import { readRecords, type ReadOptions } from './record-reader.js';
import type { LogFile } from './rotated-files.js';
import { lineStartFrom } from './scan-plan.js';

let dir = '';
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-reader-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const check = (i: number, extra = ''): string => `{"ts":"2025-10-21T08:${String(i % 60).padStart(2, '0')}:00.000000Z","lat":{"latency_ms":${i},"ok":true}${extra}}`;

function file(data: Buffer | string, gzip = false): LogFile {
  const path = join(dir, `f${n++}${gzip ? '.gz' : ''}`);
  const bytes = gzip ? gzipSync(data) : Buffer.from(data);
  writeFileSync(path, bytes);
  return { path, gzip, bytes: bytes.length };
}

// The latencies of the checks read, the other records' events, and the counts.
async function read(f: LogFile, opts: Partial<ReadOptions> = {}, range: { start?: number; end?: number | null } = {}) {
  const latencies: (number | null)[] = [];
  const positions: number[] = [];
  const events: unknown[] = [];
  const sink: RecordSink = {
    check: (c: CheckView) => {
      latencies.push(c.latencyMs);
      positions.push(c.pos);
    },
    record: (rec) => events.push(rec.event),
  };
  let bytes = 0;
  const counts = await readRecords({ file: f, start: range.start ?? 0, end: range.end ?? null, pos: 1000 }, { range: { sinceMs: null, untilMs: null }, onBytes: (b) => (bytes += b), ...opts }, sink);
  return { latencies, positions, events, counts, bytes };
}

describe('readRecords', () => {
  it('reads plain and gzip files alike and counts the bytes read from disk', async () => {
    const text = `${[check(1), '{"event":"self_heal","ts":"2025-10-21T08:01:00Z"}', '', check(2), 'torn {'].join('\n')}\n${check(3)}`;
    for (const gzip of [false, true]) {
      const f = file(text, gzip);
      const r = await read(f);
      expect(r.latencies).toEqual([1, 2, 3]);
      expect(r.events).toEqual(['self_heal']);
      expect(r.counts).toEqual({ lines: 5, skipped: 1, error: null });
      expect(r.bytes).toBe(f.bytes);
    }
  });

  it('places each check by the byte offset of its line, after the task base', async () => {
    const lines = [check(1), check(2), check(3)];
    const r = await read(file(`${lines.join('\n')}\n`));
    expect(r.positions).toEqual([1000, 1000 + lines[0]!.length + 1, 1000 + lines[0]!.length + lines[1]!.length + 2]);
  });

  it('reads the lines that start in [start, end) of a file, and no other', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => check(i, ',"pad":"'.concat('x'.repeat(i % 97), '"')));
    const f = file(`${lines.join('\n')}\n`);
    const cut1 = lineStartFrom(f.path, Math.floor(f.bytes / 3)) as number;
    const cut2 = lineStartFrom(f.path, Math.floor((2 * f.bytes) / 3)) as number;
    const parts = await Promise.all([read(f, {}, { end: cut1 }), read(f, {}, { start: cut1, end: cut2 }), read(f, {}, { start: cut2 })]);
    expect(parts.flatMap((p) => p.latencies)).toEqual(lines.map((_, i) => i));
    expect(parts.every((p) => p.latencies.length > 500)).toBe(true);
  });

  it('leaves a last line without a newline when asked to (a writer may be mid-append)', async () => {
    const f = file(`${check(1)}\n${check(2)}`);
    expect((await read(f, { partialLast: false })).latencies).toEqual([1]);
    expect((await read(f)).latencies).toEqual([1, 2]);
  });

  it('keeps a line of exactly 16 MiB, and gives up one byte longer (counted as skipped)', async () => {
    const padded = (len: number): string => {
      const head = check(7, ',"pad":"');
      return `${head}${'a'.repeat(len - head.length - 2)}"}`;
    };
    const f = file(`${check(1)}\n${padded(MAX_LINE_BYTES)}\n${padded(MAX_LINE_BYTES + 1)}\n${check(2)}\n`);
    const r = await read(f);
    expect(r.latencies).toEqual([1, 7, 2]);
    expect(r.counts).toEqual({ lines: 4, skipped: 1, error: null });
  });

  it('says why a file could not be read', async () => {
    const r = await read({ path: join(dir, 'gone'), gzip: false, bytes: 0 });
    expect(r.counts.error).toMatch(/ENOENT/);
    const bad = file('plain text\n');
    expect((await read({ ...bad, gzip: true })).counts.error).toBe('incorrect header check');
  });

  it('reads the same with blocking reads: lines, places, byte ranges, torn and oversized lines, errors', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 500 === 7 ? '{"event":"recovered","ts":"2025-10-21T08:01:00Z"}' : check(i, ',"pad":"'.concat('y'.repeat(i % 89), '"'))));
    const f = file(`${lines.join('\n')}\ntorn {\n${'z'.repeat(MAX_LINE_BYTES + 5)}\n${check(9)}`);
    const cut = lineStartFrom(f.path, lines.slice(0, 1500).join('\n').length - 10) as number;
    for (const range of [{}, { end: cut }, { start: cut }]) {
      const [a, b] = [await read(f, {}, range), await read(f, { blocking: true }, range)];
      expect(b).toEqual(a);
      expect(b.latencies.length).toBeGreaterThan(1000);
    }
    expect((await read(f, { blocking: true, partialLast: false })).latencies.at(-1)).toBe(2999);
    expect((await read({ path: join(dir, 'gone'), gzip: false, bytes: 0 }, { blocking: true })).counts.error).toMatch(/ENOENT/);
  });
});
