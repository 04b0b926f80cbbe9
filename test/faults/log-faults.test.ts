// Faults of the log through the real commands: a read-only and a full file system (tmpfs mounts),
// logrotate's `create` and `copytruncate` under a running daemon, and a 1 GB log that must cost a
// check no more reading than an empty one. After each, every line of the log parses.
import { appendFileSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, SCRIPTS, type GuardEnv } from '../helpers/guard-env.js';
import { parsePid, readLock } from '../../src/log/lock.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { killAll, schedulerLines, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { canMountTmpfs, mountTmpfs, remount, runMeasured, strictlyIncreasing, strictRecords, unmountAll, type Rec } from './fault-helpers.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  killAll();
  unmountAll();
  env?.cleanup();
});

const PAGE = 4096;
const mountIt = canMountTmpfs() ? it : it.skip;
const checksOf = (records: Rec[]): Rec[] => records.filter((r) => r.lat !== undefined);

// Appends one valid JSON line so the file ends `free` bytes before a page boundary (tmpfs allocates pages).
function padToPage(file: string, free: number): void {
  const size = existsSync(file) ? statSync(file).size : 0;
  let need = (PAGE - ((size + free) % PAGE)) % PAGE;
  if (need < 16) need += PAGE;
  appendFileSync(file, `{"pad":"${'p'.repeat(need - 11)}"}\n`);
}

// Fills the file system holding `dir` to the last byte with a filler file; returns its path.
function fillUp(dir: string): string {
  const filler = join(dir, 'filler');
  const fd = openSync(filler, 'w');
  const block = Buffer.alloc(PAGE, 0x2e);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return filler;
}

describe('check: a log it cannot write', () => {
  mountIt('on a read-only file system: exit 3, the message names the file, EROFS and the fix', async () => {
    env = guardEnv(server.url);
    mountTmpfs(join(env.dir, 'logs'), '64k', true);
    const run = await env.run(['check']);
    expect(run.code).toBe(3);
    // The plugin line a monitoring scheduler reads (it shows ';' as ',': Nagios would rewrite it).
    expect(run.stdout).toBe(`UNKNOWN - cannot write log ${env.logFile}: read-only file system (EROFS), set log_file to a writable place\n`);
    expect(run.stderr).toBe(
      `anomaly-guard check: cannot write log ${env.logFile}: read-only file system (EROFS); set log_file to a writable place\n` +
        'hint: make the log folder writable or point log_file somewhere writable\n',
    );
  });

  mountIt('on a full disk, with the last line cut by a short write: exit 3 (ENOSPC), the partial line is removed', async () => {
    env = guardEnv(server.url);
    mountTmpfs(join(env.dir, 'logs'), '128k');
    await env.run(['check']);
    padToPage(env.logFile, 60); // the next record (~200 bytes) gets 60 bytes in, then ENOSPC
    fillUp(join(env.dir, 'logs'));
    const before = readFileSync(env.logFile, 'utf8');
    const run = await env.run(['check']);
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      `anomaly-guard check: cannot write log ${env.logFile}: no space left on device (ENOSPC); free disk space or set log_file on another disk\n` +
        'hint: make the log folder writable or point log_file somewhere writable\n',
    );
    expect(readFileSync(env.logFile, 'utf8')).toBe(before); // no torn line left behind
    expect(strictRecords(env.logFile)).toHaveLength(2);
  });
});

describe('run: a full disk under a running daemon', () => {
  mountIt('holds the records back, says so, and writes them in order when space returns', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '300ms', scheduler_log: 'sched/scheduler.log' });
    const sched = join(env.dir, 'sched', 'scheduler.log');
    mountTmpfs(join(env.dir, 'logs'), '128k');
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the first check', () => existsSync(env.logFile) && checksOf(strictRecords(env.logFile)).length >= 1);
    padToPage(env.logFile, 0);
    const filler = fillUp(join(env.dir, 'logs'));
    const full = await waitFor('2 records held back', () => schedulerLines(sched).find((l) => /, [2-9] records held back$/.test(l)), 5000);
    expect(full).toMatch(/^cycle \d+ end after [\d.]+ s: OK; log not writable: cannot write log .*: no space left on device \(ENOSPC\); free disk space or set log_file on another disk, \d records held back$/);
    await waitFor('the problem on stderr', () => daemon.stderr().includes('no space left on device (ENOSPC)')); // a pipe: may trail scheduler.log
    rmSync(filler);
    await waitFor('the held records written', () => schedulerLines(sched).some((l) => /log writable again: \d+ held-back records written$/.test(l)), 3000);
    await waitFor('a check after the flush', () => checksOf(strictRecords(env.logFile)).length >= 6, 3000);
    expect(await daemon.stop()).toBe(0);
    const checks = checksOf(strictRecords(env.logFile)); // every line parses: no torn line
    const ts = checks.map((r) => r.ts as string);
    expect(strictlyIncreasing(ts)).toBe(true); // in order, none twice
    const gaps = ts.slice(1).map((t, i) => Date.parse(t) - Date.parse(ts[i] as string));
    expect(Math.max(...gaps)).toBeLessThan(900); // no cycle lost while the disk was full
  });

  mountIt('started on a full disk: takes its lock, guards and heals, holding its records back', async () => {
    env = guardEnv(server.url);
    const got = join(env.dir, 'heal-stdin.json'); // outside the full disk
    env.writeConfig({ interval: '300ms', scheduler_log: 'sched/scheduler.log', heal: { command: [process.execPath, join(SCRIPTS, 'record-stdin.mjs'), got], verify_after: '0s' } });
    mountTmpfs(join(env.dir, 'logs'), '64k');
    fillUp(join(env.dir, 'logs'));
    server.setMode({ kind: 'status', status: 'Degraded' });
    try {
      const daemon = startDaemon(env.configFile, ['--quiet']);
      await waitFor('the heal', () => existsSync(got), 5000);
      expect(JSON.parse(readFileSync(got, 'utf8'))).toMatchObject({ event: 'anomaly_trigger', reasons: ['health_unhealthy (status=Degraded)'] });
      expect(parsePid(readLock(`${env.logFile}.lock`) ?? '')).toBe(daemon.pid);
      await waitFor('records held back', () => schedulerLines(join(env.dir, 'sched', 'scheduler.log')).some((l) => /no space left on device \(ENOSPC\).*records held back$/.test(l)), 3000);
      expect(await daemon.stop()).toBe(0);
    } finally {
      server.setMode({ kind: 'healthy' });
    }
  });

  mountIt('a log remounted read-only and back: the same, with EROFS', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '300ms', scheduler_log: 'sched/scheduler.log' });
    const sched = join(env.dir, 'sched', 'scheduler.log');
    mountTmpfs(join(env.dir, 'logs'), '1m');
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the first check', () => existsSync(env.logFile) && strictRecords(env.logFile).length >= 1);
    remount(join(env.dir, 'logs'), true);
    await waitFor('a record held back', () => schedulerLines(sched).some((l) => /read-only file system \(EROFS\).*, [2-9] records held back$/.test(l)), 5000);
    remount(join(env.dir, 'logs'), false);
    await waitFor('the held records written', () => schedulerLines(sched).some((l) => /log writable again: \d+ held-back records written$/.test(l)), 3000);
    expect(await daemon.stop()).toBe(0);
    expect(strictlyIncreasing(checksOf(strictRecords(env.logFile)).map((r) => r.ts as string))).toBe(true);
  });
});

describe('run: logrotate under a running daemon', () => {
  it('`create` (the log moved away) and `copytruncate` (copied, then truncated): both followed, no torn line, nothing lost', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '250ms', scheduler_log: 'sched/scheduler.log' });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    const count = (): number => (existsSync(env.logFile) ? strictRecords(env.logFile).length : 0);
    await waitFor('3 checks', () => count() >= 3);
    renameSync(env.logFile, `${env.logFile}.1`); // logrotate `create`
    await waitFor('3 checks in the new file', () => count() >= 3, 4000);
    copyFileSync(env.logFile, `${env.logFile}.2`); // logrotate `copytruncate`: a record between copy and truncate is lost by design
    truncateSync(env.logFile, 0);
    await waitFor('3 checks after the truncation', () => count() >= 3, 4000);
    expect(await daemon.stop()).toBe(0);
    const files = [`${env.logFile}.1`, `${env.logFile}.2`, env.logFile];
    const all = files.flatMap((f) => checksOf(strictRecords(f))); // every line of every file parses
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(strictlyIncreasing(all.map((r) => r.ts as string).sort())).toBe(true); // none twice
    expect(readFileSync(env.logFile, 'utf8').startsWith('{')).toBe(true); // no NUL hole after copytruncate (O_APPEND)
  });
});

describe('check: a 1 GB log', () => {
  it('reads no more of it than of an empty log (bytes read, /proc/self/io rchar)', async () => {
    env = guardEnv(server.url);
    // What is measured is bytes read, not speed: a latency finding only logs, so the exit status does not
    // depend on how this machine's probe compares with the seeded tail. The big-log run makes the probe
    // 50 ms late on purpose (a slow machine's first loopback request), far above that tail (8-12 ms).
    env.writeConfig({ actions: { latency: 'log' } });
    const empty = await runMeasured(env.dir, ['check', '-c', env.configFile]);
    rmSync(env.logFile);
    writeBigLog(env.logFile, 1024 * 1024 * 1024);
    server.setMode({ kind: 'healthy', delayMs: 50 });
    const big = await runMeasured(env.dir, ['check', '-c', env.configFile]).finally(() => server.setMode({ kind: 'healthy' }));
    expect([empty.code, big.code]).toEqual([0, 0]);
    const last = checksOf(strictRecordsTail(env.logFile)).at(-1) as Rec;
    const window = RECENT.slice(-50); // latency.window: the newest 50 of the tail, none of the old gigabyte
    expect(last).toMatchObject({ lat: { ok: true }, score: expect.any(Number), reasons: [expect.stringMatching(/^latency_anomaly_3sigma /)] });
    expect(last.mean).toBeCloseTo(window.reduce((a, b) => a + b, 0) / window.length, 3); // scored against the tail
    expect(empty.rchar).toBeGreaterThan(0);
    expect(big.rchar - empty.rchar).toBeLessThan(1024 * 1024);
  });
});

// The latencies of the 60 recent checks at the end of the big log, oldest first.
const RECENT = Array.from({ length: 60 }, (_, k) => 8 + ((60 - k) % 5));

// Old check records (2020) as one repeated 16 MB buffer, then the RECENT ones at 5-minute steps.
function writeBigLog(file: string, bytes: number): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const old = `${JSON.stringify({ ts: '2020-01-01T00:00:00.000000Z', lat: { latency_ms: 9.5, ok: true, http_status: 200 }, res: { cpu: 1, mem: 2, disk: 3 }, score: null, mean: null, stdev: null })}\n`;
  const block = Buffer.from(old.repeat(Math.floor((16 * 1024 * 1024) / old.length)));
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) writeSync(fd, block);
    const now = Date.now();
    RECENT.forEach((latency_ms, k) => {
      const ts = new Date(now - (60 - k) * 300_000).toISOString().replace('Z', '000Z');
      writeSync(fd, `${JSON.stringify({ ts, lat: { latency_ms, ok: true, http_status: 200 }, res: { cpu: 1, mem: 2, disk: 3 }, score: null, mean: null, stdev: null })}\n`);
    });
  } finally {
    closeSync(fd);
  }
}

// The last 64 KiB of a big log, parsed strictly (its first, cut line dropped).
function strictRecordsTail(file: string): Rec[] {
  const size = statSync(file).size;
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(Math.min(size, 65536));
  try {
    readSyncAll(fd, buf, size - buf.length);
  } finally {
    closeSync(fd);
  }
  const lines = buf.toString('utf8').split('\n').slice(1).filter(Boolean);
  return lines.map((l) => JSON.parse(l) as Rec);
}

function readSyncAll(fd: number, buf: Buffer, at: number): void {
  for (let got = 0; got < buf.length; ) got += readSync(fd, buf, got, buf.length - got, at + got);
}
