// Faults of the guard's own process, end to end: kill -9 of the daemon in the middle of a cycle and
// of a heal, then a restart (no torn, lost or repeated record, no second heal, baseline intact);
// SIGTERM during a heal; the wall clock jumping back; a one-shot check beside a healing daemon.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLock } from '../../src/log/lock.js';
import { guardEnv, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { killAll, schedulerLines, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { eventOf, killSpawned, libfaketime, spawnDaemon, strictlyIncreasing, strictRecords, type Rec } from './fault-helpers.js';

const node = process.execPath;
const server = sharedHealthServer();
let env: GuardEnv;
const strays: number[] = [];
afterEach(() => {
  killAll();
  killSpawned();
  for (const pid of strays.splice(0)) {
    if (!(pid > 0)) continue; // kill(0) would hit the test runner's own process group
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const records = (): Rec[] => strictRecords(env.logFile);
const checks = (): Rec[] => records().filter((r) => r.lat !== undefined);
// A heal that writes its pid to `file`, then runs `ms`.
const slowHeal = (file: string, ms: number): string[] => [node, '-e', `require('fs').writeFileSync(process.argv[1], String(process.pid)); setTimeout(() => {}, ${ms})`, file];

describe('kill -9 of the daemon, then a restart', () => {
  it('in the middle of a cycle: every line parses, no record twice, and the next daemon scores against the baseline', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '300ms', latency: { min_samples: 3, min_stdev_ms: 1000, learn: 'all' } });
    const first = startDaemon(env.configFile, ['--quiet']);
    // A busy machine stalls the daemon now and then: such checks stay out of the baseline, so wait for 3 that are in it.
    await waitFor('3 checks in the baseline', () => existsSync(env.logFile) && checks().filter(inBaseline).length >= 3, 30_000);
    server.setMode({ kind: 'healthy', delayMs: 2000 });
    const asked = server.requests;
    await waitFor('a probe in flight', () => server.requests > asked, 3000);
    const before = checks().length;
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    expect(checks()).toHaveLength(before); // the cycle died before writing
    server.setMode({ kind: 'healthy' });
    const second = startDaemon(env.configFile, ['--quiet']);
    const next = await waitFor('a check by the new daemon', () => checks()[before], 5000);
    expect(next).toMatchObject({ lat: { ok: true }, score: expect.any(Number), mean: expect.any(Number) });
    expect(await second.stop()).toBe(0);
    expect(strictlyIncreasing(checks().map((r) => r.ts as string))).toBe(true);
  });

  it('in the middle of a heal: the restarted daemon does not heal beside it (in_progress while it runs, then cooldown), no second heal', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    const pidFile = join(env.dir, 'heal.pid');
    env.writeConfig({ interval: '300ms', heal: { command: slowHeal(pidFile, 3000), cooldown: '10m' } });
    const first = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the heal running', () => existsSync(pidFile) && records().some((r) => r.event === 'heal_start'), 5000);
    strays.push(Number(readFileSync(pidFile, 'utf8'))); // its own process group: it outlives the daemon
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const cut = records().length;
    expect(records().map(eventOf)).toEqual(['check', 'anomaly_trigger', 'heal_start']);
    const second = startDaemon(env.configFile, ['--quiet']);
    await waitFor('2 cycles by the new daemon', () => records().filter((r) => r.event === 'heal_suppressed').length >= 2, 5000);
    expect(await second.stop()).toBe(0);
    const after = records().slice(cut);
    expect(after.map(eventOf).slice(0, 3)).toEqual(['check', 'anomaly_trigger', 'heal_suppressed']);
    // The heal lock is taken before the budget is read: while the interrupted heal still runs it holds the lock.
    expect(['in_progress', 'cooldown']).toContain(after[2]!.why);
    expect(after.filter((r) => r.event === 'heal_start' || r.event === 'self_heal')).toEqual([]);
    expect(strictlyIncreasing(checks().map((r) => r.ts as string))).toBe(true);
  });
});

describe('kill -9 of the daemon while a heal that starts the service in the background runs', () => {
  // The heal starts the "service" in the background in its own process group, writes both pids (heal.pid
  // last, whole), and runs until the file `release` exists (or its folder is gone).
  const backgroundHeal = (dir: string): string[] => [
    '/bin/sh', '-c',
    'sleep 60 & echo $! > "$1/service.pid"; echo $$ > "$1/heal.tmp"; mv "$1/heal.tmp" "$1/heal.pid"; while [ ! -e "$1/release" ] && [ -d "$1" ]; do sleep 0.05; done',
    'heal', dir,
  ];
  const pidIn = (file: string): number => Number(readFileSync(file, 'utf8'));
  const running = (pid: number): boolean => existsSync(`/proc/${pid}/stat`) && !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

  it('the next check is in_progress while the heal itself runs, and heals once it exited, though the service it started lives on', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ interval: '1h', heal: { command: backgroundHeal(env.dir) } });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    const healPid = join(env.dir, 'heal.pid');
    await waitFor('the heal running', () => existsSync(healPid), 5000);
    const [heal, service] = [pidIn(healPid), pidIn(join(env.dir, 'service.pid'))];
    strays.push(heal, service);
    // The heal may write its pids before the daemon, descheduled on a busy machine, has recorded it in the lock.
    const namesHeal = new RegExp(`^${daemon.pid} start:\\S+ heal:${heal}:\\d+$`);
    await waitFor('the lock naming the heal', () => namesHeal.test(readLock(`${env.logFile}.heal.lock`) ?? ''), 5000);
    expect(await daemon.stop('SIGKILL')).toBe('SIGKILL');

    const during = await env.run(['check']);
    expect(during.code).toBe(2);
    expect(records().filter((r) => r.event === 'heal_suppressed')).toEqual([
      expect.objectContaining({ why: 'in_progress', detail: `another heal holds ${env.logFile}.heal.lock (pid ${daemon.pid})` }),
    ]);

    writeFileSync(join(env.dir, 'release'), '');
    await waitFor('the heal to exit', () => !running(heal), 5000);
    expect(running(service)).toBe(true); // its process group lives on in the service
    const after = await env.run(['check']);
    expect(after.code).toBe(2);
    strays.push(pidIn(join(env.dir, 'service.pid')));
    const last = records().slice(-3);
    expect(last.map(eventOf)).toEqual(['anomaly_trigger', 'heal_start', 'self_heal']);
    expect(last[2]).toMatchObject({ exit_code: 0, timed_out: false });
    expect(readLock(`${env.logFile}.heal.lock`)).toBeNull();
  });
});

describe('SIGTERM while a heal runs', () => {
  it('lets the heal finish (self_heal exit 0, not aborted), then exits 0', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    const pidFile = join(env.dir, 'heal.pid');
    env.writeConfig({ interval: '5s', heal: { command: slowHeal(pidFile, 800) } });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the heal running', () => existsSync(pidFile), 5000);
    expect(await daemon.stop('SIGTERM', 5000)).toBe(0);
    expect(records().map(eventOf)).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal']);
    const heal = records()[3] as Rec;
    expect(heal).toMatchObject({ exit_code: 0, signal: null, timed_out: false });
    expect(heal.aborted).toBeUndefined();
    expect(heal.duration_ms).toBeGreaterThanOrEqual(700);
    const lines = schedulerLines(join(env.dir, 'logs', 'scheduler.log'));
    expect(lines).toContainEqual(expect.stringMatching(/^SIGTERM received: stopping, finishing cycle 1 first \(cycle_timeout 1m\)$/));
    expect(lines.at(-1)).toBe('stopped on SIGTERM after 1 cycle');
  });
});

describe('the wall clock jumps back an hour', () => {
  it('check: a log whose newest record is an hour ahead gets clock_back_ms and a warning; the baseline still applies', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ latency: { min_samples: 3, min_stdev_ms: 1000 } });
    env.seedLog(seedChecks([10, 11, 12], { endMs: Date.now() + 3_600_000, stepMs: 1000 }));
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^anomaly-guard check: the wall clock is 3[56]\d\ds behind the newest record in the log \(it went back\); records keep the clock's time and carry clock_back_ms\n$/);
    const check = checks().at(-1) as Rec;
    expect(check.clock_back_ms).toBeGreaterThan(3_590_000);
    expect(check.clock_back_ms).toBeLessThan(3_610_000);
    expect(check).toMatchObject({ mean: 11, score: expect.any(Number) });
  });

  const faketime = libfaketime();
  (faketime ? it : it.skip)('run under libfaketime: the first check after the jump carries clock_back_ms, cycles keep their monotonic cadence', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '250ms', scheduler_log: 'sched/scheduler.log' });
    const offset = join(env.dir, 'faketime');
    writeFileSync(offset, '+0\n');
    const daemon = spawnDaemon(env.configFile, { LD_PRELOAD: faketime as string, FAKETIME_TIMESTAMP_FILE: offset, FAKETIME_NO_CACHE: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' });
    // A busy machine stalls the daemon now and then: such checks stay out of the baseline, so wait for 3 that are in it.
    await waitFor('3 checks in the baseline', () => existsSync(env.logFile) && checks().filter(inBaseline).length >= 3, 30_000);
    writeFileSync(offset, '-1h\n');
    const jumpedAt = checks().length;
    const started = Date.now();
    await waitFor('4 checks after the jump', () => checks().length >= jumpedAt + 4, 5000);
    const elapsed = Date.now() - started;
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    const all = checks();
    // The first check after the jump marks it with its size; the next ones are in order after it again.
    const marked = all.filter((r) => r.clock_back_ms !== undefined);
    expect(marked).toHaveLength(1);
    expect(marked[0]!.clock_back_ms).toBeGreaterThan(3_590_000);
    expect(marked[0]!.clock_back_ms).toBeLessThan(3_600_000);
    const after = all.slice(all.indexOf(marked[0]!));
    expect(strictlyIncreasing(after.map((r) => r.ts as string))).toBe(true);
    for (const r of after) expect(Date.parse(r.ts)).toBeLessThan(Date.now() - 3_500_000);
    expect(elapsed).toBeLessThan(2500); // 4 cycles at 250 ms, not stalled for an hour
    await waitFor('the problem on stderr', () => daemon.stderr().includes('behind the newest record in the log (it went back)')); // a pipe: may trail scheduler.log
  });
});

describe('a one-shot check beside a healing daemon', () => {
  it('does not heal at the same time: heal_suppressed in_progress naming the heal lock and the daemon pid', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    const pidFile = join(env.dir, 'heal.pid');
    env.writeConfig({ interval: '10s', heal: { command: slowHeal(pidFile, 6000) } });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the daemon heal running', () => existsSync(pidFile), 5000);
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('heal     suppressed (in_progress)');
    const suppressed = records().filter((r) => r.event === 'heal_suppressed');
    expect(suppressed).toEqual([expect.objectContaining({ why: 'in_progress', detail: `another heal holds ${env.logFile}.heal.lock (pid ${daemon.pid})` })]);
    expect(await daemon.stop()).toBe(0);
    expect(records().filter((r) => r.event === 'self_heal')).toHaveLength(1);
  });
});

// A check that feeds the baseline: answered, not taken across the guard's own stall, not held out.
function inBaseline(r: Record<string, any>): boolean {
  return r.lat.ok && r.stalled_ms === undefined && r.in_baseline !== false;
}
