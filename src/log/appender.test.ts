import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { openLogAppender, LogWriteError } from './appender.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-appender-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const lines = (file: string): string[] => fs.readFileSync(file, 'utf8').split('\n');

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('openLogAppender', () => {
  it('writes one line per record that parses back to the same object', () => {
    const file = path.join(dir, 'a.ndjson');
    const log = openLogAppender(file);
    const records = [
      { ts: '2025-10-21T08:35:00.123456Z', lat: { latency_ms: 45.2, ok: true }, score: null },
      { event: 'self_heal', ts: 't', stdout_tail: 'line1\nline2 "quoted" é ✓' },
    ];
    for (const r of records) log.append(r);
    log.close();
    const text = lines(file);
    expect(text).toHaveLength(3);
    expect(text[2]).toBe('');
    expect(text.slice(0, 2).map((l) => JSON.parse(l))).toEqual(records);
  });

  it('appends to an existing log without a blank line', () => {
    const file = path.join(dir, 'a.ndjson');
    fs.writeFileSync(file, '{"a":1}\n');
    const log = openLogAppender(file);
    log.append({ b: 2 });
    log.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('creates missing folders and the file with modes no wider than requested', () => {
    const file = path.join(dir, 'x', 'y', 'a.ndjson');
    openLogAppender(file).close();
    expect(fs.statSync(path.join(dir, 'x')).mode & 0o777 & ~0o750).toBe(0);
    expect(fs.statSync(path.join(dir, 'x', 'y')).mode & 0o777 & ~0o750).toBe(0);
    expect(fs.statSync(file).mode & 0o777 & ~0o640).toBe(0);
    const custom = path.join(dir, 'z', 'b.ndjson');
    openLogAppender(custom, { fileMode: 0o600, dirMode: 0o700 }).close();
    expect(fs.statSync(path.join(dir, 'z')).mode & 0o777 & ~0o700).toBe(0);
    expect(fs.statSync(custom).mode & 0o777 & ~0o600).toBe(0);
  });

  it('leaves a torn last line alone and starts the next record on its own line', () => {
    const file = path.join(dir, 'a.ndjson');
    fs.writeFileSync(file, '{"a":1}\n{"ts":"x","la');
    const log = openLogAppender(file);
    log.append({ ts: 'y', n: 1 });
    log.append({ ts: 'z', n: 2 });
    log.close();
    expect(lines(file)).toEqual(['{"a":1}', '{"ts":"x","la', '{"ts":"y","n":1}', '{"ts":"z","n":2}', '']);
  });

  const failures = [
    { name: 'a parent is a regular file', setup: (d: string) => (fs.writeFileSync(path.join(d, 'file.txt'), 'x'), path.join(d, 'file.txt', 'log.ndjson')), code: 'ENOTDIR', fix: 'set log_file' },
    { name: 'a deeper parent is a regular file', setup: (d: string) => (fs.writeFileSync(path.join(d, 'file.txt'), 'x'), path.join(d, 'file.txt', 'sub', 'log.ndjson')), code: 'ENOTDIR', fix: 'set log_file' },
    { name: 'the path is a folder', setup: (d: string) => (fs.mkdirSync(path.join(d, 'logdir')), path.join(d, 'logdir')), code: 'EISDIR', fix: 'set log_file to a file path' },
  ];
  for (const f of failures) {
    it(`throws a LogWriteError naming the file when ${f.name}`, () => {
      const file = f.setup(dir);
      const err = catchError(() => openLogAppender(file));
      expect(err).toBeInstanceOf(LogWriteError);
      const e = err as LogWriteError;
      expect(e.code).toBe(f.code);
      expect(e.path).toBe(file);
      expect(e.message).toContain(`cannot write log ${file}: `);
      expect(e.message).toContain(`(${f.code}); ${f.fix}`);
      expect(e.message).not.toContain('\n');
    });
  }

  it('refuses to append after close', () => {
    const log = openLogAppender(path.join(dir, 'a.ndjson'));
    log.close();
    log.close();
    const err = catchError(() => log.append({ a: 1 }));
    expect(err).toBeInstanceOf(LogWriteError);
    expect((err as LogWriteError).code).toBe('EBADF');
  });

  it('truncates a short write away and reports why (file size limit, EFBIG)', () => {
    const script = path.join(dir, 'append.mjs');
    const entry = fileURLToPath(new URL('./appender.ts', import.meta.url));
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: path.join(dir, 'appender.mjs'), logLevel: 'silent' });
    fs.writeFileSync(
      script,
      `import { openLogAppender } from './appender.mjs';
process.on('SIGXFSZ', () => {});
const log = openLogAppender(process.argv[2]);
try { log.append({ pad: 'x'.repeat(200) }); console.log('ok'); } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`,
    );
    const file = path.join(dir, 'a.ndjson');
    const before = `${JSON.stringify({ pad: 'y'.repeat(990) })}\n`; // 1001 bytes; the limit is 1024
    fs.writeFileSync(file, before);
    const run = spawnSync('bash', ['-c', 'ulimit -f 1 && exec "$0" "$@"', process.execPath, script, file], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { name: string; code: string; message: string };
    expect(result).toMatchObject({ name: 'LogWriteError', code: 'EFBIG' });
    expect(result.message).toContain(`cannot write log ${file}: file size limit reached (EFBIG)`);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
