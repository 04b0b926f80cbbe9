// Many logs in one folder share one listing of it: each log still gets its own rotated files (names that share a
// prefix are not mixed up), its history goes on into its own `.1` or `.gz`, and a rotation after the listing is seen.
import { mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { readTailThroughRotation } from './file-log.js';
import { listLogFiles, newestRotated } from './rotated-files.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const line = (target: string, n: number): string => `${JSON.stringify({ ts: `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`, target, n })}\n`;
const lines = (target: string, from: number, to: number): string => Array.from({ length: to - from }, (_, i) => line(target, from + i)).join('');

// A folder quiet for a minute (its mtime set back), so that its listing is kept and shared.
function quietFolder(files: Record<string, string | Buffer>): void {
  dir = mkdtempSync(join(tmpdir(), 'ag-rotated-shared-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const past = new Date(Date.now() - 60_000);
  utimesSync(dir, past, past);
}

// Every record of the log's history, newest first, as the start-up rebuild reads it.
function history(name: string): unknown[] {
  const seen: unknown[] = [];
  readTailThroughRotation(join(dir, name), (r) => (seen.push(r), true));
  return seen;
}

describe('logs sharing one folder listing', () => {
  it('gives each log its own rotated files and history, whatever prefix their names share', () => {
    quietFolder({
      'g.api.ndjson': lines('api', 3, 5),
      'g.api.ndjson.1': lines('api', 1, 3),
      'g.api-2.ndjson': lines('api-2', 6, 7),
      'g.api-2.ndjson.1.gz': gzipSync(lines('api-2', 4, 6)),
      'g.api-2.ndjson.2.gz': gzipSync(lines('api-2', 0, 4)),
      'g.api.ndjson-20260101': lines('api', 0, 1),
      'g.api.ndjson-2.ndjson': lines('odd', 0, 1),
      'g.ap.ndjson': '',
    });
    expect(listLogFiles(join(dir, 'g.api.ndjson')).map((f) => f.path.slice(dir.length + 1))).toEqual(['g.api.ndjson-20260101', 'g.api.ndjson.1', 'g.api.ndjson']);
    expect(listLogFiles(join(dir, 'g.api-2.ndjson')).map((f) => f.path.slice(dir.length + 1))).toEqual(['g.api-2.ndjson.2.gz', 'g.api-2.ndjson.1.gz', 'g.api-2.ndjson']);
    expect(newestRotated(join(dir, 'g.ap.ndjson'))).toBeNull();
    expect(history('g.api.ndjson')).toEqual([4, 3, 2, 1].map((n) => JSON.parse(line('api', n))));
    expect(history('g.api-2.ndjson')).toEqual([6, 5, 4].map((n) => JSON.parse(line('api-2', n))));
    expect(history('g.ap.ndjson')).toEqual([]);
  });

  it('sees a rotation made after the folder was listed', () => {
    quietFolder({ 'g.api.ndjson': lines('api', 0, 2), 'g.web.ndjson': lines('web', 0, 1) });
    expect(newestRotated(join(dir, 'g.api.ndjson'))).toBeNull();
    renameSync(join(dir, 'g.api.ndjson'), join(dir, 'g.api.ndjson.1'));
    writeFileSync(join(dir, 'g.api.ndjson'), line('api', 2));
    expect(newestRotated(join(dir, 'g.api.ndjson'))?.path).toBe(join(dir, 'g.api.ndjson.1'));
    expect(history('g.api.ndjson')).toEqual([2, 1, 0].map((n) => JSON.parse(line('api', n))));
    expect(history('g.web.ndjson')).toEqual([JSON.parse(line('web', 0))]);
  });
});
