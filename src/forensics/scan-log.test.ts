// The fast reader's report against the reference reader's (each line through JSON.parse) on the same
// files: logs this tool writes, foreign and torn lines, gzip files, time ranges, and the work split into
// parts anywhere (as threads split it), merged back in log order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines, corpusMs, foreignLines, referenceScan, writeLog } from '../../test/helpers/log-corpus.js';
import { MAX_LINE_BYTES } from './line-source.js';
import { reportJson } from './report-json.js';
import type { LogFile } from './rotated-files.js';
import { FILE_POS, lineStartFrom, planTasks } from './scan-plan.js';
import { readTasks, scanLog, type LogScan } from './scan-log.js';
import type { TimeRange } from './time-range.js';

let root = '';
let n = 0;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ag-scan-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
const freshDir = (): string => join(root, String(n++));

const ALL: TimeRange = { sinceMs: null, untilMs: null };
const asJson = (scan: LogScan) => reportJson('guard.ndjson', scan);

async function expectSame(files: LogFile[], range: TimeRange, jobs = 1): Promise<ReturnType<typeof asJson>> {
  const want = asJson(await referenceScan(files, range));
  const got = asJson(await scanLog(files, { range, jobs }));
  expect(got).toEqual(want);
  return got;
}

describe('the fast reader reports what the JSON.parse reader reports', () => {
  it('on a log of this tool with foreign lines, rotated plain and gzip files and a torn last line', async () => {
    const lines = corpusLines(1, 3000, 0.05);
    const torn = Buffer.from('{"ts":"2025-10-30T00:00:00.000000Z","lat":{"latency_');
    const files = writeLog(freshDir(), [
      { name: 'guard.ndjson.2.gz', lines: lines.slice(0, 1000) },
      { name: 'guard.ndjson.1', lines: lines.slice(1000, 2000) },
      { name: 'guard.ndjson', lines: lines.slice(2000), tail: torn },
    ]);
    const r = await expectSame(files, ALL);
    expect(r.checks).toBeGreaterThan(2500);
    expect(r.skipped_lines).toBeGreaterThan(10);
    expect(r.untimed_records).toBeGreaterThan(0);
    expect(r.incidents_total).toBeGreaterThan(10);
  });

  it('on every foreign line alone', async () => {
    for (const [i, line] of foreignLines('2025-10-21T08:35:00.123456Z').entries()) {
      const files = writeLog(freshDir(), [{ name: 'guard.ndjson', lines: [line] }]);
      const r = await expectSame(files, ALL);
      expect(r.files[0]?.lines, `line ${i}`).toBe(line.toString().trim() === '' ? 0 : 1);
    }
  });

  it.each([
    { name: 'since', range: { sinceMs: corpusMs(700), untilMs: null } },
    { name: 'until', range: { sinceMs: null, untilMs: corpusMs(300) } },
    { name: 'since and until', range: { sinceMs: corpusMs(250), untilMs: corpusMs(900) } },
    { name: 'a range with nothing in it', range: { sinceMs: corpusMs(5000), untilMs: null } },
  ])('within a time range: $name', async ({ range }) => {
    const lines = corpusLines(2, 1000, 0.1);
    const files = writeLog(freshDir(), [
      { name: 'guard.ndjson.1.gz', lines: lines.slice(0, 400) },
      { name: 'guard.ndjson', lines: lines.slice(400), tail: Buffer.from('{"ts":"2025-10-20T00:00:00.000000Z","lat":{') },
    ]);
    await expectSame(files, range);
  });

  // (The reference's limit is loose by up to one read: a line is cut when a read leaves it over the limit.)
  it('on a line longer than 16 MiB between two checks', async () => {
    const lines = corpusLines(3, 20, 0);
    const long = Buffer.concat([Buffer.from('{"ts":"2025-10-20T00:00:01.000000Z","lat":{"ok":true},"pad":"'), Buffer.alloc(MAX_LINE_BYTES + (2 << 20), 0x61), Buffer.from('"}')]);
    const files = writeLog(freshDir(), [{ name: 'guard.ndjson', lines: [...lines.slice(0, 10), long, ...lines.slice(10)] }]);
    const r = await expectSame(files, ALL);
    expect(r.skipped_lines).toBe(1);
  });

  it('on a truncated gzip file: what was inflated is read, and the file says why it stopped', async () => {
    const dir = freshDir();
    const [gz] = writeLog(dir, [{ name: 'guard.ndjson.1.gz', lines: corpusLines(4, 500, 0.05) }]);
    const { truncateSync } = await import('node:fs');
    truncateSync((gz as LogFile).path, Math.floor((gz as LogFile).bytes * 0.7));
    const files = [{ ...(gz as LogFile), bytes: Math.floor((gz as LogFile).bytes * 0.7) }];
    const r = await expectSame(files, ALL);
    expect(r.files[0]?.error).toBe('unexpected end of file');
  });
});

describe('the work split into parts and merged', () => {
  it.each([2, 3, 5, 16])('in %i parts: the same report', async (jobs) => {
    const lines = corpusLines(5, 2000, 0.05);
    const files = writeLog(freshDir(), [
      { name: 'guard.ndjson.1.gz', lines: lines.slice(0, 500) },
      { name: 'guard.ndjson', lines: lines.slice(500) },
    ]);
    expect(planTasks(files, jobs).length).toBeGreaterThanOrEqual(Math.min(jobs, 3));
    await expectSame(files, ALL, jobs);
  });

  it('split at any lines: incidents, outages and ties that cross the cuts come out whole (fast-check)', async () => {
    const dir = freshDir();
    const lines = corpusLines(6, 600, 0.05);
    const files = writeLog(dir, [{ name: 'guard.ndjson.1', lines: lines.slice(0, 200) }, { name: 'guard.ndjson', lines: lines.slice(200) }]);
    const want = asJson(await referenceScan(files, ALL));
    const cuts = fc.array(fc.tuple(fc.nat(1), fc.double({ min: 0, max: 1, noNaN: true })), { maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(cuts, async (points) => {
        const tasks = files.flatMap((file, i) => {
          const starts = [...new Set([0, ...points.filter(([f]) => f === i).map(([, x]) => lineStartFrom(file.path, Math.floor(x * file.bytes)) ?? 0)])].sort((a, b) => a - b);
          return starts.map((start, k) => ({ file, start, end: starts[k + 1] ?? null, pos: i * FILE_POS }));
        });
        expect(asJson(await readTasks(files, tasks, { range: ALL }))).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });

  it('reads on this thread, and says why, when the worker threads cannot start', async () => {
    const lines = corpusLines(7, 300, 0.05);
    const files = writeLog(freshDir(), [{ name: 'guard.ndjson', lines }]);
    const missing = new URL(`file://${join(root, 'no-such-worker.js')}`);
    const scan = await scanLog(files, { range: ALL, jobs: 3, workerUrl: missing });
    expect(scan.threads).toBe(1);
    expect(scan.workerError).toMatch(/no-such-worker\.js|Cannot find module/);
    expect(asJson(scan)).toEqual(asJson(await referenceScan(files, ALL)));
  });

  it('any log, any range, any number of parts (fast-check)', async () => {
    const logs = fc.record({ seed: fc.nat(), cycles: fc.integer({ min: 0, max: 120 }), foreign: fc.double({ min: 0, max: 0.5, noNaN: true }), gz: fc.boolean(), split: fc.double({ min: 0, max: 1, noNaN: true }) });
    const ranges = fc.record({ sinceMs: fc.option(fc.integer({ min: -5, max: 130 }).map(corpusMs)), untilMs: fc.option(fc.integer({ min: -5, max: 130 }).map(corpusMs)) });
    await fc.assert(
      fc.asyncProperty(logs, ranges, fc.integer({ min: 1, max: 6 }), async (log, range, jobs) => {
        const lines = corpusLines(log.seed, log.cycles, log.foreign);
        const cut = Math.floor(lines.length * log.split);
        const files = writeLog(freshDir(), [
          { name: log.gz ? 'guard.ndjson.1.gz' : 'guard.ndjson.1', lines: lines.slice(0, cut) },
          { name: 'guard.ndjson', lines: lines.slice(cut) },
        ]);
        await expectSame(files, range, jobs);
      }),
      { numRuns: 80 },
    );
  });
});
