// The cycle's history read over real files: on into the newest rotated file (plain or gzip), bounded by
// the budget on both the compressed file and its content. (A running daemon keeps its history in memory
// instead: src/daemon/history-follower.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileGuardLog } from './file-log.js';

let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-filelog-'));
  log = join(dir, 'guard.ndjson');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rec = (n: number): string => `${JSON.stringify({ ts: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000000Z`, n })}\n`;
const lines = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => rec(from + i)).join('');

/** The n of every record visited, newest first, and the warnings. */
function readAll(opts: Parameters<typeof fileGuardLog>[1] = {}): { seen: number[]; warnings: string[] } {
  const warnings: string[] = [];
  const seen: number[] = [];
  fileGuardLog(log, { ...opts, warn: (w) => warnings.push(w) }).readBackward((r) => (seen.push((r as { n: number }).n), true));
  return { seen, warnings };
}

describe('fileGuardLog: the history goes on into the newest rotated file', () => {
  it.each([
    ['.1 (plain)', '.1', '.2.gz', (t: string) => t],
    ['.1.gz', '.1.gz', '.2.gz', (t: string) => gzipSync(t)],
    ['-20260101.gz (dateext)', '-20260101.gz', '-20251231.gz', (t: string) => gzipSync(t)],
  ])('%s', (_name, suffix, older, encode) => {
    writeFileSync(`${log}${suffix}`, encode(lines(1, 3)));
    writeFileSync(`${log}${older}`, gzipSync(lines(90, 91))); // older: not read
    writeFileSync(log, lines(4, 5));
    expect(readAll()).toEqual({ seen: [5, 4, 3, 2, 1], warnings: [] });
  });

  it('a gzip file larger than the budget, compressed or not, is not read, and says so', () => {
    writeFileSync(log, rec(9));
    const text = lines(1, 8);
    writeFileSync(`${log}.1.gz`, gzipSync(text));
    const small = readAll({ maxTailBytes: rec(9).length + 20 });
    expect(small.seen).toEqual([9]);
    expect(small.warnings[0]).toMatch(new RegExp(`^cannot read the rotated log ${log}\\.1\\.gz: it is \\d+ B compressed, more than the \\d+ B a history read may cost; the history before it is not used$`));
    const content = readAll({ maxTailBytes: text.length }); // the compressed file fits, its content does not
    expect(content.seen).toEqual([9]);
    expect(content.warnings).toEqual([`cannot read the rotated log ${log}.1.gz: it holds more than ${text.length - rec(9).length} B uncompressed, more than a history read may cost; the history before it is not used`]);
  });
});
