import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLogBackward, type TailReadStats } from './tail-reader.js';
import { isCheckRecord } from './records.js';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-tail-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function logFile(content: string | Buffer): string {
  const file = path.join(dir, `log-${n++}.ndjson`);
  fs.writeFileSync(file, content);
  return file;
}

// Every record from the newest backwards, with the stats.
function readAll(file: string, opts?: { chunkBytes?: number; maxBytes?: number }): { records: unknown[]; stats: TailReadStats } {
  const records: unknown[] = [];
  const stats = readLogBackward(file, (r) => (records.push(r), true), opts);
  return { records, stats };
}

const long = 'é✓😀'.repeat(30_000); // ~270 KB of multibyte text: longer than the 64 KiB chunk
const scenarios = [
  { name: 'empty file', content: '', records: [], skipped: 0 },
  { name: 'only newlines', content: '\n\n\n', records: [], skipped: 0 },
  { name: 'trailing newline', content: '{"a":1}\n{"a":2}\n', records: [{ a: 2 }, { a: 1 }], skipped: 0 },
  { name: 'no trailing newline, valid last line', content: '{"a":1}\n{"a":2}', records: [{ a: 2 }, { a: 1 }], skipped: 0 },
  { name: 'torn last line', content: '{"a":1}\n{"a":2}\n{"ts":"x","la', records: [{ a: 2 }, { a: 1 }], skipped: 1 },
  { name: 'garbage in the middle', content: '{"a":1}\nnot json\n{"a":2\n42\n[1]\nnull\n{"a":3}\n', records: [{ a: 3 }, { a: 1 }], skipped: 5 },
  { name: 'CRLF and blank lines', content: '{"a":1}\r\n\r\n  \n{"a":2}\r\n', records: [{ a: 2 }, { a: 1 }], skipped: 0 },
  { name: 'no newline at all', content: '{"a":1}', records: [{ a: 1 }], skipped: 0 },
  { name: 'multibyte text', content: `{"s":"${long}"}\n{"s":"é"}\n`, records: [{ s: 'é' }, { s: long }], skipped: 0 },
];

describe('readLogBackward', () => {
  for (const s of scenarios) {
    it(`reads ${s.name} newest first, at every chunk size`, () => {
      const file = logFile(s.content);
      for (const chunkBytes of [1, 2, 3, 5, 7, 16, 64 * 1024, undefined]) {
        const { records, stats } = readAll(file, { chunkBytes });
        expect(records, `chunkBytes=${chunkBytes}`).toEqual(s.records);
        expect(stats.skipped).toBe(s.skipped);
        expect(stats.linesRead).toBe(s.records.length + s.skipped);
        expect(stats.bytesRead).toBe(Buffer.byteLength(s.content));
      }
    });
  }

  it('treats a missing file as an empty log', () => {
    expect(readAll(path.join(dir, 'nope', 'missing.ndjson')).stats).toEqual({ skipped: 0, bytesRead: 0, linesRead: 0 });
  });

  it('throws an error naming the path when the log cannot be read', () => {
    const folder = path.join(dir, 'a-folder');
    fs.mkdirSync(folder);
    expect(() => readAll(folder)).toThrow(`cannot read log ${folder}`);
  });

  it('stops when visit returns false', () => {
    const file = logFile('{"a":1}\n{"a":2}\n{"a":3}\n');
    const seen: unknown[] = [];
    const stats = readLogBackward(file, (r) => seen.push(r) < 2);
    expect(seen).toEqual([{ a: 3 }, { a: 2 }]);
    expect(stats.linesRead).toBe(2);
  });

  it('stops after maxBytes without handing out the cut line', () => {
    const file = logFile('{"a":1}\n{"a":2}\n{"a":3}\n'); // 8 bytes a line
    const { records, stats } = readAll(file, { chunkBytes: 5, maxBytes: 12 });
    expect(records).toEqual([{ a: 3 }]);
    expect(stats.bytesRead).toBe(12);
    expect(stats.skipped).toBe(0);
  });

  it('reads only the tail of a 1,000,000-line log to find the last 50 check records', () => {
    const lines: string[] = [];
    for (let i = 0; i < 1_000_000; i++) {
      lines.push(
        i % 10 === 9
          ? `{"event":"heal_suppressed","ts":"t${i}","why":"cooldown"}`
          : `{"ts":"t${i}","lat":{"latency_ms":${i % 97}.5,"ok":true},"res":{"cpu":1,"mem":2,"disk":3},"score":null,"mean":null,"stdev":null}`,
      );
    }
    const file = logFile(`${lines.join('\n')}\n`);
    expect(fs.statSync(file).size).toBeGreaterThan(50_000_000);
    const checks: unknown[] = [];
    const stats = readLogBackward(file, (r) => {
      if (isCheckRecord(r)) checks.push(r);
      return checks.length < 50;
    });
    expect(checks).toHaveLength(50);
    expect(checks[0]).toMatchObject({ ts: 't999998' });
    expect(checks[49]).toMatchObject({ ts: 't999944' });
    expect(stats.bytesRead).toBeLessThan(256 * 1024);
    expect(stats.linesRead).toBe(56);
    expect(stats.skipped).toBe(0);
  });
});
