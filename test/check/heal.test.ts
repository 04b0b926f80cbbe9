// The heal through the real `check`: argv without a shell, the trigger on stdin, timeouts that take the
// whole process group, the budget read from the log, one heal at a time, and the verification.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { readLock } from '../../src/log/lock.js';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, SCRIPTS, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { containedNothingLeft, healCgroupHome } from '../helpers/cgroup-probe.js';
import type { CgroupHome } from '../../src/effects/cgroup.js';

let server: HealthServer;
let env: GuardEnv;
let cgroupHome: CgroupHome | null = null;
beforeAll(async () => {
  cgroupHome = await healCgroupHome();
  server = await startHealthServer();
  server.setMode({ kind: 'status', status: 'Degraded' });
});
afterAll(() => server.close());
afterEach(() => env?.cleanup());

const node = process.execPath;
const healRecord = (records: Record<string, any>[]) => records.find((r) => r.event === 'self_heal');

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return / Z /.test(stat); // a zombie waiting for a reaper is dead too
}

describe('check: running the heal command', () => {
  it('runs argv without a shell and gives it the anomaly_trigger record as JSON on stdin', async () => {
    env = guardEnv(server.url);
    const got = join(env.dir, 'stdin.json');
    env.writeConfig({ heal: { command: [node, join(SCRIPTS, 'record-stdin.mjs'), got] } });
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(2);
    const records = env.records();
    const trigger = records.find((r) => r.event === 'anomaly_trigger');
    expect(readFileSync(got, 'utf8')).toBe(`${JSON.stringify(trigger)}\n`);
    const heal = healRecord(records);
    expect(heal).toEqual({
      event: 'self_heal',
      ts: expect.stringMatching(/Z$/),
      command: [node, join(SCRIPTS, 'record-stdin.mjs'), got],
      exit_code: 0,
      signal: null,
      timed_out: false,
      duration_ms: expect.any(Number),
      stdout_tail: `got ${readFileSync(got).length} bytes\n`,
      stderr_tail: 'stderr: done\n',
      ...containedNothingLeft(cgroupHome),
    });
    expect(records.map((r) => r.event ?? 'check')).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal']);
  });

  it('records a failing heal (exit 3) with its output tails; the check still exits 2', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: [node, join(SCRIPTS, 'exit-code.mjs'), '3'] } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(healRecord(env.records())).toMatchObject({ exit_code: 3, signal: null, timed_out: false, stdout_tail: 'about to fail\n', stderr_tail: 'failing with 3\n' });
  });

  it('terminates the whole process group at heal.timeout: the grandchild dies too', async () => {
    env = guardEnv(server.url);
    const pidFile = join(env.dir, 'grandchild.pid');
    env.writeConfig({ heal: { command: ['/bin/sh', join(SCRIPTS, 'spawn-grandchild.sh'), pidFile], timeout: '400ms', kill_grace: '200ms' } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(healRecord(env.records())).toMatchObject({ timed_out: true, signal: 'SIGTERM', exit_code: null });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((r) => setTimeout(r, 200));
    expect(isGone(grandchild)).toBe(true);
  });

  it('SIGKILLs a heal that ignores SIGTERM after kill_grace', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: ['/bin/sh', join(SCRIPTS, 'hang.sh'), 'ignore-term'], timeout: '300ms', kill_grace: '200ms' } });
    await env.run(['check']);
    expect(healRecord(env.records())).toMatchObject({ timed_out: true, signal: 'SIGKILL', stdout_tail: 'ignoring SIGTERM\nhanging\n' });
  });

  it('records a heal command that cannot start', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: ['no-such-heal-command-xyz'] } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('heal.command: "no-such-heal-command-xyz" is not found on PATH');
    expect(healRecord(env.records())).toMatchObject({ exit_code: null, error: 'command not found: no-such-heal-command-xyz' });
  });

  it('logs heal_suppressed no_command when no heal command is configured', async () => {
    env = guardEnv(server.url);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_suppressed', why: 'no_command' });
  });
});

describe('check: the heal budget, read from the log', () => {
  const selfHeal = (agoMs: number) => ({
    event: 'self_heal',
    ts: new Date(Date.now() - agoMs).toISOString().replace('Z', '000Z'),
    command: ['x'],
    exit_code: 0,
    signal: null,
    timed_out: false,
    duration_ms: 5,
    stdout_tail: '',
    stderr_tail: '',
  });

  it('suppresses a heal within heal.cooldown of the last one', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: [node, '-e', '0'], cooldown: '60s' } });
    env.seedLog([...seedChecks([10, 11]), selfHeal(10_000)]);
    const started = Date.now();
    const run = await env.run(['check']);
    const tookS = (Date.now() - started) / 1000;
    expect(run.code).toBe(2);
    const last = env.records().at(-1)!;
    expect(last).toMatchObject({ event: 'heal_suppressed', why: 'cooldown' });
    // 60 s of cooldown from a heal 10 s before the check began, less however long this machine took to run it.
    const left = Number(/cooldown ends in (\d+)s/.exec(String(last.detail))?.[1]);
    expect(left).toBeLessThanOrEqual(50);
    expect(left).toBeGreaterThanOrEqual(Math.floor(50 - tookS));
    expect(env.records().filter((r) => r.event === 'self_heal')).toHaveLength(1);
  });

  it('suppresses past heal.max_per_hour; heals older than an hour do not count', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: [node, '-e', '0'], max_per_hour: 3 } });
    env.seedLog([selfHeal(65 * 60_000), selfHeal(50 * 60_000), selfHeal(30 * 60_000), selfHeal(10 * 60_000)]);
    await env.run(['check']);
    const [suppressed, exhausted] = env.records().slice(-2);
    expect(suppressed).toMatchObject({ event: 'heal_suppressed', why: 'rate_limit', detail: '3 heals in the last hour; heal.max_per_hour is 3' });
    expect(exhausted).toMatchObject({ event: 'heal_budget_exhausted', heals_last_hour: 3, max_per_hour: 3, latched: false });
  });

  it('heals again once the hour has room', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: [node, '-e', '0'], max_per_hour: 3 } });
    env.seedLog([selfHeal(65 * 60_000), selfHeal(50 * 60_000), selfHeal(30 * 60_000)]);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'self_heal', exit_code: 0 });
  });

  it('two checks started at once run one heal: the other logs in_progress', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: [node, '-e', 'setTimeout(() => {}, 1500)'] } });
    const [a, b] = await Promise.all([env.run(['check']), env.run(['check'])]);
    expect([a.code, b.code]).toEqual([2, 2]);
    const records = env.records();
    expect(records.filter((r) => r.event === 'self_heal')).toHaveLength(1);
    const suppressed = records.filter((r) => r.event === 'heal_suppressed');
    expect(suppressed).toHaveLength(1);
    expect(suppressed[0]).toMatchObject({ why: 'in_progress' });
    expect(suppressed[0]!.detail).toMatch(/heal\.lock \(pid \d+\)/);
    expect(readLock(`${env.logFile}.heal.lock`)).toBeNull();
  });
});

describe('check: verification after a heal', () => {
  let fixable: Server;
  let fixed = false;
  let base = '';
  beforeAll(async () => {
    fixable = createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/fix') fixed = true;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: fixed ? 'Healthy' : 'Degraded' }));
    });
    await new Promise<void>((r) => fixable.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(fixable.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => fixable.close(() => r())));

  it('re-probes verify_after later: recovered when the heal fixed it', async () => {
    fixed = false;
    env = guardEnv(`${base}/health`);
    const fix = `require('http').request('${base}/fix', { method: 'POST' }, (r) => r.resume()).end()`;
    env.writeConfig({ heal: { command: [node, '-e', fix], verify_after: '100ms' } });
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(2);
    const events = env.records().map((r) => r.event ?? 'check');
    expect(events).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal', 'heal_verify']);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_verify', recovered: true, latency_ms: expect.any(Number) });
  });

  it('reports recovered:false with the reason when it did not help', async () => {
    fixed = false;
    env = guardEnv(`${base}/health`);
    env.writeConfig({ heal: { command: [node, '-e', '0'], verify_after: '100ms' } });
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_verify', recovered: false, error: 'status=Degraded' });
  });
});
