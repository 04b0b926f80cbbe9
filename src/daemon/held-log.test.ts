import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileGuardLog } from '../log/file-log.js';
import { heldLog, heldRecords, type HeldRecords } from './held-log.js';

let dir: string;
let logFile: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-held-'));
  logFile = join(dir, 'logs', 'guard.ndjson');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// A FILE where the log's folder should be: every open fails with ENOTDIR, also for root.
const breakFolder = (): void => {
  rmSync(join(dir, 'logs'), { recursive: true, force: true });
  writeFileSync(join(dir, 'logs'), 'not a folder');
};
const fixFolder = (): void => {
  rmSync(join(dir, 'logs'), { force: true });
  mkdirSync(join(dir, 'logs'));
};
const written = (): number[] => readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { n: number }).n);

// One "cycle": a fresh file log wrapped around the daemon's queue, closed afterwards.
function cycle(queue: HeldRecords, ns: number[]) {
  const file = fileGuardLog(logFile);
  const log = heldLog(file, queue);
  for (const n of ns) log.append({ n });
  file.close();
  return log.report();
}

describe('heldLog: records the log cannot take are held back and written first, in order, later', () => {
  it('passes records straight through while the log is writable', () => {
    const queue = heldRecords();
    expect(cycle(queue, [1, 2])).toEqual({ writeError: null, readError: null, held: 0, flushed: 0, dropped: 0 });
    expect(written()).toEqual([1, 2]);
  });

  it('holds records back while the folder is broken, then writes them before the new ones', () => {
    const queue = heldRecords();
    cycle(queue, [1]);
    breakFolder();
    const broken = cycle(queue, [2, 3]);
    expect(broken).toMatchObject({ held: 2, flushed: 0, writeError: expect.stringMatching(/cannot write log .*guard\.ndjson: .*ENOTDIR/) });
    expect(cycle(queue, [4])).toMatchObject({ held: 3 });
    fixFolder();
    expect(cycle(queue, [5])).toMatchObject({ held: 0, flushed: 3, writeError: null });
    expect(written()).toEqual([2, 3, 4, 5]); // the folder was replaced: record 1 went with it
  });

  it('keeps only the newest `limit` records and counts the dropped ones', () => {
    const queue = heldRecords(3);
    breakFolder();
    expect(cycle(queue, [1, 2, 3, 4, 5])).toMatchObject({ held: 3, dropped: 2 });
    fixFolder();
    expect(cycle(queue, [6])).toMatchObject({ held: 0, flushed: 3, dropped: 2 });
    expect(written()).toEqual([3, 4, 5, 6]);
  });

  it('lets a backward read see the held records first (newest first), then the file', () => {
    const queue = heldRecords();
    cycle(queue, [1, 2]);
    breakFolder();
    const log = heldLog(fileGuardLog(logFile), queue);
    log.append({ n: 3 });
    log.append({ n: 4 });
    const seen: unknown[] = [];
    log.readBackward((r) => (seen.push((r as { n: number }).n), true));
    expect(seen).toEqual([4, 3]); // the file cannot be read: only what is held
    expect(log.report().readError).toMatch(/cannot read log/);
  });

  it('stops the backward read when the visitor has enough', () => {
    const queue = heldRecords();
    cycle(queue, [1, 2]);
    const log = heldLog(fileGuardLog(logFile), queue);
    const seen: number[] = [];
    log.readBackward((r) => (seen.push((r as { n: number }).n), seen.length < 1));
    expect(seen).toEqual([2]);
  });

  it('drops a record that can never be written (not a write failure) instead of blocking the queue', () => {
    const queue = heldRecords();
    const log = heldLog(fileGuardLog(logFile), queue);
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => log.append(circular)).toThrow(/circular/i);
    log.append({ n: 1 });
    expect(written()).toEqual([1]);
  });
});
