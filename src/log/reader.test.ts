import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLogForward, readLastRecords, type ForwardOptions, type ForwardRecord, type ForwardStats } from './reader.js';
import { openLogAppender } from './appender.js';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-reader-'));
  file = path.join(dir, 'a.ndjson');
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function collect(p: string, opts?: ForwardOptions): Promise<ForwardRecord[]> {
  const out: ForwardRecord[] = [];
  for await (const item of readLogForward(p, opts)) out.push(item);
  return out;
}

describe('readLogForward', () => {
  it('yields records oldest first with their line and end offset, counting skipped lines', async () => {
    const content = '{"a":1}\ngarbage\n\r\n{"a":"é"}\r\n{"a":3}\n';
    fs.writeFileSync(file, content);
    for (const chunkBytes of [1, 3, 8, undefined]) {
      const stats: ForwardStats = { skipped: 0 };
      const items = await collect(file, { stats, chunkBytes });
      expect(items.map((i) => i.record)).toEqual([{ a: 1 }, { a: 'é' }, { a: 3 }]);
      expect(items.map((i) => i.line)).toEqual(['{"a":1}', '{"a":"é"}', '{"a":3}']);
      expect(items.map((i) => i.end)).toEqual([8, 30, 38]);
      expect(stats).toEqual({ skipped: 1, end: Buffer.byteLength(content) });
    }
  });

  it('starts at a byte offset', async () => {
    fs.writeFileSync(file, '{"a":1}\n{"a":2}\n{"a":3}\n');
    const items = await collect(file, { start: 8 });
    expect(items.map((i) => i.record)).toEqual([{ a: 2 }, { a: 3 }]);
  });

  it('stops before a partial last line and resumes from `end` once it is completed', async () => {
    fs.writeFileSync(file, '{"a":1}\n{"a":2}\n{"a":');
    const stats: ForwardStats = { skipped: 0 };
    const first = await collect(file, { stats });
    expect(first.map((i) => i.record)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(stats).toEqual({ skipped: 0, end: 16 });
    fs.appendFileSync(file, '3}\n');
    const log = openLogAppender(file);
    log.append({ a: 4 });
    log.close();
    const next = await collect(file, { start: first.at(-1)?.end ?? 0 });
    expect(next.map((i) => i.record)).toEqual([{ a: 3 }, { a: 4 }]);
  });

  it('gives a resume offset past trailing garbage so it is not counted twice', async () => {
    fs.writeFileSync(file, '{"a":1}\nbad line\n');
    const stats: ForwardStats = { skipped: 0 };
    await collect(file, { stats });
    expect(stats).toEqual({ skipped: 1, end: 17 });
    const again: ForwardStats = { skipped: 0 };
    expect(await collect(file, { start: stats.end, stats: again })).toEqual([]);
    expect(again).toEqual({ skipped: 0, end: 17 });
  });

  it('treats a missing file as an empty log', async () => {
    expect(await collect(path.join(dir, 'missing.ndjson'))).toEqual([]);
  });

  it('stops reading when the consumer breaks out', async () => {
    fs.writeFileSync(file, '{"a":1}\n{"a":2}\n{"a":3}\n');
    const seen: unknown[] = [];
    for await (const { record } of readLogForward(file)) {
      seen.push(record);
      break;
    }
    expect(seen).toEqual([{ a: 1 }]);
  });
});

describe('readLastRecords', () => {
  const scenarios = [
    { name: 'fewer records than asked', content: '{"a":1}\n{"a":2}\n', n: 5, records: [{ a: 1 }, { a: 2 }], skipped: 0 },
    { name: 'the last n, oldest first', content: '{"a":1}\n{"a":2}\n{"a":3}\n', n: 2, records: [{ a: 2 }, { a: 3 }], skipped: 0 },
    { name: 'skipping a torn last line', content: '{"a":1}\n{"a":2}\n{"a', n: 2, records: [{ a: 1 }, { a: 2 }], skipped: 1 },
    { name: 'n = 0', content: '{"a":1}\n', n: 0, records: [], skipped: 0 },
  ];
  for (const s of scenarios) {
    it(`returns ${s.name}`, () => {
      fs.writeFileSync(file, s.content);
      expect(readLastRecords(file, s.n)).toEqual({ records: s.records, skipped: s.skipped });
    });
  }

  it('returns nothing for a missing file', () => {
    expect(readLastRecords(path.join(dir, 'missing.ndjson'), 10)).toEqual({ records: [], skipped: 0 });
  });
});
