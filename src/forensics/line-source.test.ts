import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { lineSplitter, MAX_LINE_BYTES, readLines } from './line-source.js';

const TEXT = '{"a":"été ☃ 𝄞"}\n\n{"b":2}\r\nlast line without newline';
const EXPECTED = ['{"a":"été ☃ 𝄞"}', '', '{"b":2}\r', 'last line without newline'];

function split(chunks: Buffer[]): string[] {
  const out: string[] = [];
  const s = lineSplitter((l) => out.push(l));
  for (const c of chunks) s.push(c);
  s.end();
  return out;
}

describe('lineSplitter', () => {
  it.each([1, 2, 3, 5, 7, 1000])('gives the same lines whatever the chunk size (%i bytes), multi-byte characters included', (size) => {
    const bytes = Buffer.from(TEXT);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
    expect(split(chunks)).toEqual(EXPECTED);
  });

  it('hands over a stand-in for a line too long to keep, then goes on', () => {
    const big = Buffer.alloc(MAX_LINE_BYTES + 10, 0x61);
    const out = split([Buffer.from('{"x":1}\n'), big.subarray(0, 1 << 20), big.subarray(1 << 20), Buffer.from('\n{"y":2}\n')]);
    expect(out).toEqual(['{"x":1}', '<line longer than 16 MiB>', '{"y":2}']);
  });
});

describe('readLines', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: 'plain', gzip: false, data: Buffer.from(TEXT) },
    { name: 'gzip', gzip: true, data: gzipSync(TEXT) },
  ])('reads a $name file and counts the bytes read from disk', async ({ gzip, data }) => {
    dir = mkdtempSync(join(tmpdir(), 'ag-lines-'));
    const path = join(dir, 'f');
    writeFileSync(path, data);
    const lines: string[] = [];
    let bytes = 0;
    const result = await readLines({ path, gzip, bytes: data.length }, (l) => lines.push(l), (n) => (bytes += n));
    expect(lines).toEqual(EXPECTED);
    expect(result).toEqual({ lines: 4, error: null });
    expect(bytes).toBe(data.length);
  });

  it('says why a file could not be read', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ag-lines-'));
    const notGzip = join(dir, 'f.gz');
    writeFileSync(notGzip, 'plain text\n');
    expect(await readLines({ path: notGzip, gzip: true, bytes: 11 }, () => undefined)).toEqual({ lines: 0, error: 'incorrect header check' });
    const gone = await readLines({ path: join(dir, 'gone'), gzip: false, bytes: 0 }, () => undefined);
    expect(gone.error).toMatch(/ENOENT/);
  });
});
