// One daemon per log, end to end: a second `run` on the same log exits 1 naming the pid and the lock
// file; a stale lock (dead pid) is taken over; after kill -9 a new daemon takes over and the latency
// baseline carries over through the log.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { killAll, startDaemon, waitFor } from './daemon-process.js';
import { parsePid, readLock } from '../../src/log/lock.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  killAll();
  env?.cleanup();
});

type Rec = Record<string, any>;
const checks = (): Rec[] => env.records().filter((r) => r.event === undefined);
const lockFile = (): string => `${env.logFile}.lock`;

// The pid of a process that has exited (and been reaped): nobody holds it right now.
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('anomaly-guard run: one daemon per log file', () => {
  it('a second run on the same log exits 1 at once, naming the pid and the lock file', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s' });
    const first = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the first check', () => checks().length >= 1);
    const second = await env.run(['run']);
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `anomaly-guard run: log ${env.logFile} is locked by a running daemon (pid ${first.pid}, lock file ${lockFile()})\n` +
        `hint: stop it first (kill -TERM ${first.pid}, or systemctl stop anomaly-guard), or point log_file elsewhere\n`,
    );
    expect(await first.stop()).toBe(0);
    expect(readLock(lockFile())).toBeNull();
  });

  it('takes over a stale lock whose pid is dead', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s' });
    mkdirSync(join(env.dir, 'logs'), { recursive: true });
    writeFileSync(lockFile(), `${deadPid()}\n`);
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the first check', () => checks().length >= 1);
    expect(parsePid(readLock(lockFile()) ?? '')).toBe(daemon.pid);
    expect(await daemon.stop()).toBe(0);
  });

  it('after kill -9, a new daemon takes over the lock and scores against the baseline in the log', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s', latency: { min_samples: 3, min_stdev_ms: 1000, learn: 'all' } });
    const first = startDaemon(env.configFile, ['--quiet']);
    // A busy machine stalls the daemon now and then: such checks stay out of the baseline, so wait for 3 that are in it.
    await waitFor('3 checks in the baseline', () => existsSync(env.logFile) && checks().filter(inBaseline).length >= 3, 30_000);
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    expect(parsePid(readLock(lockFile()) ?? '')).toBe(first.pid); // left behind, stale
    const before = checks().length;
    const second = startDaemon(env.configFile, ['--quiet']);
    const firstAfter = await waitFor('a check by the new daemon', () => checks()[before]);
    expect(firstAfter).toMatchObject({ lat: { ok: true }, score: expect.any(Number), mean: expect.any(Number), stdev: expect.any(Number) });
    expect(await second.stop()).toBe(0);
  });
});

// A check that feeds the baseline: answered, not taken across the guard's own stall, not held out.
function inBaseline(r: Record<string, any>): boolean {
  return r.lat.ok && r.stalled_ms === undefined && r.in_baseline !== false;
}
