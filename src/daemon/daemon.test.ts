// The daemon's wiring on a fake clock and a fake signal source: lines in scheduler.log, stop while a
// cycle runs, reload (valid, invalid, log_file moved), SIGUSR1, the lock. The real cycle and signals
// are proven end to end in test/daemon/.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClock, type FakeClock } from '../../test/helpers/fake-clock.js';
import { parsePid, readLock } from '../log/lock.js';
import type { GuardConfig } from '../config/config.js';
import { validateConfig, type LoadedConfig } from '../config/load.js';
import type { CycleResult } from '../cycle/check-cycle.js';
import type { CycleDeps } from '../cycle/deps.js';
import { GuardError } from '../errors.js';
import { fileGuardLog } from '../log/file-log.js';
import { runDaemon, type DaemonDeps } from './daemon.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-daemon-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const configFile = (): string => join(dir, 'guard.json');
const config = (raw: Record<string, unknown> = {}): GuardConfig =>
  validateConfig({ interval: '1s', cycle_timeout: '5s', log_file: 'logs/guard.ndjson', ...raw }, { file: configFile(), baseDir: dir }).config;

// A daemon whose cycles append one record and take `cycleMs` of fake time.
function harness(opts: { cycleMs?: number; pid?: number } = {}) {
  const clock: FakeClock = fakeClock();
  const signals = new EventEmitter();
  const stderr: string[] = [];
  const starts: number[] = [];
  let next: () => LoadedConfig = () => ({ config: config(), warnings: [] });
  const deps: DaemonDeps = {
    clock,
    signals,
    pid: opts.pid ?? process.pid,
    version: '9.9.9',
    quiet: true,
    loadConfig: async () => next(),
    openLog: (path) => fileGuardLog(path),
    cycleDeps: (c) => {
      const log = fileGuardLog(c.logFile);
      return { clock, log, warn: () => undefined, close: () => log.close() } as unknown as CycleDeps & { close(): void };
    },
    runCycle: async (_c, d): Promise<CycleResult> => {
      starts.push(clock.monoMs());
      await clock.sleep(opts.cycleMs ?? 100);
      d.log.append({ ts: 'x', lat: { latency_ms: 1, ok: true }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null });
      return { status: 0, records: [], measurement: null, assessment: null, heal: null, timedOut: false };
    },
    stderr: (line) => void stderr.push(line),
  };
  return {
    clock,
    signals,
    stderr,
    starts,
    deps,
    nextConfig: (f: () => LoadedConfig) => (next = f),
    lines: () => readFileSync(join(dir, 'logs', 'scheduler.log'), 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^\S+ /, '')),
  };
}

describe('runDaemon', () => {
  it('logs start, cycles and stop; exits 0 and releases the lock', async () => {
    const h = harness();
    const done = runDaemon(config(), ['a warning'], h.deps);
    expect(parsePid(readLock(join(dir, 'logs', 'guard.ndjson.lock')) ?? '')).toBe(process.pid);
    await h.clock.advance(2500);
    h.signals.emit('SIGINT');
    expect(await done).toBe(0);
    expect(h.starts).toEqual([0, 1000, 2000]);
    expect(h.lines()).toEqual([
      expect.stringMatching(new RegExp(`^started pid ${process.pid}, anomaly-guard 9\\.9\\.9, config .*guard\\.json, schedule every 1s, cycle_timeout 5s, log .*guard\\.ndjson, lock .*guard\\.ndjson\\.lock$`)),
      'config warning: a warning',
      'cycle 1 start', 'cycle 1 end after 0.10 s: OK',
      'cycle 2 start', 'cycle 2 end after 0.10 s: OK',
      'cycle 3 start', 'cycle 3 end after 0.10 s: OK',
      'SIGINT received: stopping',
      'stopped on SIGINT after 3 cycles',
    ]);
    expect(h.stderr).toEqual([expect.stringMatching(/config warning: a warning$/)]); // --quiet: problems only
    expect(readLock(join(dir, 'logs', 'guard.ndjson.lock'))).toBeNull();
  });

  it('finishes the cycle in flight on SIGTERM; a second signal says it is still finishing', async () => {
    const h = harness({ cycleMs: 3000 });
    const done = runDaemon(config(), [], h.deps);
    await h.clock.advance(500);
    h.signals.emit('SIGTERM');
    h.signals.emit('SIGINT');
    let finished = false;
    void done.then(() => (finished = true));
    await h.clock.advance(2000);
    expect(finished).toBe(false);
    await h.clock.advance(600);
    expect(finished).toBe(true);
    expect(h.lines().slice(-4)).toEqual([
      'SIGTERM received: stopping, finishing cycle 1 first (cycle_timeout 5s)',
      'SIGINT again: still finishing cycle 1 (it ends by cycle_timeout 5s at the latest)',
      'cycle 1 end after 3.00 s: OK',
      'stopped on SIGTERM after 1 cycle',
    ]);
  });

  it('SIGHUP: a valid config replaces the old and re-plans the schedule', async () => {
    const h = harness();
    const done = runDaemon(config(), [], h.deps);
    await h.clock.advance(1500);
    h.nextConfig(() => ({ config: config({ interval: '3s', heal: { max_per_hour: 1 } }), warnings: [] }));
    h.signals.emit('SIGHUP');
    await h.clock.advance(7000);
    h.signals.emit('SIGTERM');
    await done;
    expect(h.starts).toEqual([0, 1000, 2000, 5000, 8000]);
    expect(h.lines()).toContain(`reload (SIGHUP): ok, config ${configFile()}; changed: interval, heal.max_per_hour`);
  });

  it.each([
    {
      name: 'an invalid config',
      load: (): LoadedConfig => {
        throw new GuardError('CONFIG_INVALID', 'config guard.json has 2 problems', { details: ['interval: "0s" is too short', 'nope: unknown key'] });
      },
      line: 'reload (SIGHUP) failed, old config kept: config guard.json has 2 problems: interval: "0s" is too short; nope: unknown key',
    },
    {
      name: 'a config that moves log_file',
      load: (): LoadedConfig => ({ config: config({ interval: '3s', log_file: 'elsewhere.ndjson' }), warnings: [] }),
      line: expect.stringMatching(/^reload \(SIGHUP\) failed, old config kept: log_file changed from .*guard\.ndjson to .*elsewhere\.ndjson; .*restart the daemon/),
    },
  ])('SIGHUP: $name is refused, reported on stderr, and the old config kept', async ({ load, line }) => {
    const h = harness();
    const done = runDaemon(config(), [], h.deps);
    await h.clock.advance(500);
    h.nextConfig(load);
    h.signals.emit('SIGHUP');
    await h.clock.advance(2000);
    h.signals.emit('SIGTERM');
    await done;
    expect(h.starts).toEqual([0, 1000, 2000]);
    expect(h.lines()).toContainEqual(line);
    expect(h.stderr).toContainEqual(expect.stringContaining('reload (SIGHUP) failed'));
  });

  it('SIGUSR1 appends heal_resumed (detail SIGUSR1) to the log', async () => {
    const h = harness();
    const done = runDaemon(config(), [], h.deps);
    await h.clock.advance(500);
    h.signals.emit('SIGUSR1');
    h.signals.emit('SIGTERM');
    await done;
    const records = readFileSync(join(dir, 'logs', 'guard.ndjson'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(records[1]).toMatchObject({ event: 'heal_resumed', why: 'manual', detail: 'SIGUSR1' });
    expect(h.lines()).toContainEqual(expect.stringMatching(/^SIGUSR1: heal budget reset \(heal_resumed written to .*guard\.ndjson\)$/));
  });

  it('prints records still held back at the stop on stderr as NDJSON, so they are not lost', async () => {
    const h = harness();
    const done = runDaemon(config({ log_file: 'data/guard.ndjson' }), [], h.deps);
    await h.clock.advance(500);
    rmSync(join(dir, 'data'), { recursive: true });
    writeFileSync(join(dir, 'data'), 'not a folder');
    await h.clock.advance(1000);
    h.signals.emit('SIGTERM');
    await done;
    expect(h.lines()).toContainEqual(expect.stringMatching(/^cycle 2 end after 0\.10 s: OK; log not writable: .*ENOTDIR.*, 1 record held back$/));
    expect(h.lines().at(-1)).toBe('stopped on SIGTERM after 2 cycles; 1 held-back record could not be written to the log: printed on stderr as NDJSON');
    expect(h.stderr.at(-1)).toBe(JSON.stringify({ ts: 'x', lat: { latency_ms: 1, ok: true }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null }));
  });

  it('refuses to start while a live process holds the lock, naming the pid and the lock file', async () => {
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'guard.ndjson.lock'), `${process.ppid}\n`);
    const h = harness({ pid: process.pid });
    const err = await runDaemon(config(), [], h.deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GuardError);
    expect(err).toMatchObject({ code: 'LOCKED', message: expect.stringMatching(new RegExp(`locked by a running daemon \\(pid ${process.ppid}, lock file .*guard\\.ndjson\\.lock\\)$`)) });
  });

  it('takes over a lock holding its own pid (left by an earlier life of this pid, e.g. pid 1 in a container)', async () => {
    mkdirSync(join(dir, 'logs'));
    writeFileSync(join(dir, 'logs', 'guard.ndjson.lock'), `${process.pid}\n`);
    const h = harness();
    const done = runDaemon(config(), [], h.deps);
    await h.clock.advance(100);
    h.signals.emit('SIGTERM');
    expect(await done).toBe(0);
  });
});
