import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listLogFiles, newestRotated } from './rotated-files.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function folder(names: string[]): string {
  dir = mkdtempSync(join(tmpdir(), 'ag-rotated-'));
  for (const n of names) writeFileSync(join(dir, n), n);
  return join(dir, 'guard.ndjson');
}

describe('listLogFiles', () => {
  it.each([
    { name: 'numbered, oldest (highest N) first, .gz or not', names: ['guard.ndjson', 'guard.ndjson.1', 'guard.ndjson.2.gz', 'guard.ndjson.10.gz', 'guard.ndjson.3.gz'], expected: ['guard.ndjson.10.gz', 'guard.ndjson.3.gz', 'guard.ndjson.2.gz', 'guard.ndjson.1', 'guard.ndjson'] },
    { name: 'dateext, by date', names: ['guard.ndjson-20251021.gz', 'guard.ndjson', 'guard.ndjson-20251019.gz', 'guard.ndjson-20251020'], expected: ['guard.ndjson-20251019.gz', 'guard.ndjson-20251020', 'guard.ndjson-20251021.gz', 'guard.ndjson'] },
    { name: 'dateformat with dashes and a time, by date', names: ['guard.ndjson.2025-10-20', 'guard.ndjson', 'guard.ndjson-2025-10-21-1761000000.gz', 'guard.ndjson-2025-10-19'], expected: ['guard.ndjson-2025-10-19', 'guard.ndjson.2025-10-20', 'guard.ndjson-2025-10-21-1761000000.gz', 'guard.ndjson'] },
    { name: 'others are not siblings', names: ['guard.ndjson', 'guard.ndjson.heal.lock', 'guard.ndjson.bak', 'other.ndjson.1', 'guard.ndjsonx.1', 'guard.ndjson.1.tmp'], expected: ['guard.ndjson'] },
    { name: 'only rotated files', names: ['guard.ndjson.1'], expected: ['guard.ndjson.1'] },
    { name: 'none', names: [], expected: [] },
  ])('$name', ({ names, expected }) => {
    const files = listLogFiles(folder(names));
    expect(files.map((f) => f.path.slice(dir.length + 1))).toEqual(expected);
    for (const f of files) expect([f.gzip, f.bytes]).toEqual([f.path.endsWith('.gz'), f.path.slice(dir.length + 1).length]);
  });

  it('skips a folder that has a log name', () => {
    const log = folder([]);
    mkdirSync(log);
    expect(listLogFiles(log)).toEqual([]);
  });
});

describe('newestRotated', () => {
  it.each([
    { name: 'numbered: .1 (plain, delaycompress) before .2.gz', names: ['guard.ndjson', 'guard.ndjson.1', 'guard.ndjson.2.gz'], newest: 'guard.ndjson.1' },
    { name: 'compress without delaycompress: .1.gz', names: ['guard.ndjson', 'guard.ndjson.1.gz', 'guard.ndjson.2.gz'], newest: 'guard.ndjson.1.gz' },
    { name: 'while gzip runs: .1 and .1.gz, the plain one', names: ['guard.ndjson.1.gz', 'guard.ndjson.1'], newest: 'guard.ndjson.1' },
    { name: 'dateext: the latest date', names: ['guard.ndjson-20251020.gz', 'guard.ndjson-20251021.gz', 'guard.ndjson'], newest: 'guard.ndjson-20251021.gz' },
    { name: 'no live log (nocreate)', names: ['guard.ndjson.1.gz'], newest: 'guard.ndjson.1.gz' },
    { name: 'no rotated file', names: ['guard.ndjson'], newest: null },
  ])('$name', ({ names, newest }) => {
    const found = newestRotated(folder(names));
    expect(found === null ? null : found.path.slice(dir.length + 1)).toBe(newest);
  });
});
