// Faults of the heal command through the real `check`: a program that vanished or lost its x bit
// between validation and the heal, megabytes of output, a heal that never reads its stdin, a
// background grandchild holding the pipes, a child that escaped the heal's process group (reported; killed
// on a timeout where the heal has its own cgroup), and a heal cut off by cycle_timeout (group killed).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, SCRIPTS, type GuardEnv } from '../helpers/guard-env.js';
import type { CgroupHome } from '../../src/effects/cgroup.js';
import { cgroupPids, healCgroupHome, removeCgroup } from '../helpers/cgroup-probe.js';
import { eventOf, pause, runMeasured, strictRecords, type Rec } from './fault-helpers.js';

const node = process.execPath;
let env: GuardEnv;
let server: Server;
let url = '';
// Runs on every probe, i.e. after the config was loaded and validated, before the heal.
let onProbe: () => void = () => undefined;
const strays: number[] = [];
const cgroups: string[] = [];
let cgroupHome: CgroupHome | null = null;

beforeAll(async () => {
  cgroupHome = await healCgroupHome();
  server = createServer((_req, res) => {
    onProbe();
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"Degraded"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(async () => {
  onProbe = () => undefined;
  for (const pid of strays.splice(0)) killQuietly(pid);
  if (cgroups.length > 0) await pause(200); // the killed processes leave their cgroups
  for (const path of cgroups.splice(0)) removeCgroup(cgroupHome as CgroupHome, path);
  env?.cleanup();
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/ Z /.test(existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : ' Z ');
}

const healOf = (records: Rec[]): Rec => records.find((r) => r.event === 'self_heal') as Rec;

function healScript(name: string, mode: number): string {
  const path = join(env.dir, name);
  writeFileSync(path, '#!/bin/sh\necho healed\n');
  chmodSync(path, mode);
  return path;
}

describe('check: the heal program changed after the config was validated', () => {
  it('a path that vanished: self_heal says command not found, the check still exits 2', async () => {
    env = guardEnv(url);
    const script = healScript('heal.sh', 0o755);
    env.writeConfig({ heal: { command: [script] } });
    onProbe = () => rmSync(script, { force: true });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    const records = strictRecords(env.logFile);
    expect(records.map(eventOf)).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal']);
    expect(healOf(records)).toMatchObject({ exit_code: null, signal: null, timed_out: false, error: `command not found: ${script}` });
    expect(run.stdout).toContain(`heal     ran ["${script}"]: command not found: ${script}`);
  });

  it('a file that lost its execute bit: self_heal says permission denied', async () => {
    env = guardEnv(url);
    const script = healScript('heal.sh', 0o755);
    env.writeConfig({ heal: { command: [script] } });
    onProbe = () => chmodSync(script, 0o644);
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(healOf(strictRecords(env.logFile))).toMatchObject({ exit_code: null, error: `permission denied: ${script}` });
  });
});

describe('check: a heal that misbehaves with its streams', () => {
  it('writes 200 MB on stdout: the last 4 KiB are kept and the check does not hold the output in memory', async () => {
    env = guardEnv(url);
    env.writeConfig({ heal: { command: [node, '-e', '0'] } });
    const quiet = await runMeasured(env.dir, ['check', '-c', env.configFile]);
    const flood = "head -c 209715200 /dev/zero | tr '\\0' x; printf '\\nend\\n'";
    env.writeConfig({ heal: { command: ['/bin/sh', '-c', flood], timeout: '20s' } });
    const loud = await runMeasured(env.dir, ['check', '-c', env.configFile]);
    expect([quiet.code, loud.code, loud.stderr]).toEqual([2, 2, '']);
    const heal = healOf(strictRecords(env.logFile).slice(4));
    expect(heal).toMatchObject({ exit_code: 0, timed_out: false, stderr_tail: '', stdout_tail: `${'x'.repeat(4096 - 5)}\nend\n` });
    // 200 MB went through the pipe; the check's peak RSS grew by well under half of that (GC lag only).
    expect(quiet.peakRssKb).toBeGreaterThan(0);
    expect(loud.peakRssKb - quiet.peakRssKb).toBeLessThan(100 * 1024);
  });

  it('never reads its stdin and exits at once: the check is not disturbed (no EPIPE), exit 0 recorded', async () => {
    env = guardEnv(url);
    env.writeConfig({ heal: { command: [node, join(SCRIPTS, 'ignore-stdin.mjs')] } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    expect(healOf(strictRecords(env.logFile))).toMatchObject({ exit_code: 0, signal: null, stdout_tail: 'not reading\n' });
  });

  it('closes its stdin first thing: same', async () => {
    env = guardEnv(url);
    env.writeConfig({ heal: { command: ['/bin/sh', '-c', 'exec 0<&-; echo closed'] } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(healOf(strictRecords(env.logFile))).toMatchObject({ exit_code: 0, stdout_tail: 'closed\n' });
  });

  it('leaves a grandchild holding its pipes after a normal exit: the check returns at once and leaves the service running', async () => {
    env = guardEnv(url);
    const pidFile = join(env.dir, 'grandchild.pid');
    env.writeConfig({ heal: { command: ['/bin/sh', join(SCRIPTS, 'spawn-grandchild.sh'), pidFile, 'exit'], timeout: '5s' } });
    const started = Date.now();
    const run = await env.run(['check']);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    strays.push(grandchild);
    expect(run.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(4000); // not held until the heal.timeout by the open pipe
    const heal = healOf(strictRecords(env.logFile));
    expect(heal).toMatchObject({ exit_code: 0, timed_out: false, stdout_tail: `grandchild ${grandchild}\n` });
    expect(heal.duration_ms).toBeLessThan(2000);
    expect(isRunning(grandchild)).toBe(true); // a heal may start a service in the background
    expect(heal.left_running).toEqual([{ pid: grandchild, comm: 'sleep' }]); // and the record says so
    if (heal.cgroup) cgroups.push(heal.cgroup);
  });
});

describe('check: a heal that leaves a child which escaped its process group (setsid) and ignores SIGTERM', () => {
  const escapeHeal = (pidFile: string, mode: 'exit' | 'hang'): string[] => ['/bin/sh', join(SCRIPTS, 'escape.sh'), pidFile, mode];
  const pidIn = (file: string): number => Number(readFileSync(file, 'utf8'));

  it('after a heal that exits 0: the child is reported in left_running with its name and left running', async () => {
    env = guardEnv(url);
    const pidFile = join(env.dir, 'escapee.pid');
    env.writeConfig({ heal: { command: escapeHeal(pidFile, 'exit') } });
    const run = await env.run(['check']);
    const escapee = pidIn(pidFile);
    strays.push(escapee);
    expect(run.code).toBe(2);
    const heal = healOf(strictRecords(env.logFile));
    expect(heal).toMatchObject({ exit_code: 0, timed_out: false, left_running: [{ pid: escapee, comm: 'sleep' }] });
    expect(heal.containment).toBe(cgroupHome === null ? 'process_group' : 'cgroup');
    expect(isRunning(escapee)).toBe(true);
    if (cgroupHome !== null) {
      expect(heal.cgroup).toMatch(/\/ag-heal-\d+-1$/);
      expect(cgroupPids(cgroupHome, heal.cgroup)).toEqual([escapee]);
      cgroups.push(heal.cgroup);
    }
  });

  it('past heal.timeout: killed with the heal where it ran in its own cgroup; otherwise it survives and is reported', async () => {
    env = guardEnv(url);
    const pidFile = join(env.dir, 'escapee.pid');
    env.writeConfig({ heal: { command: escapeHeal(pidFile, 'hang'), timeout: '1s', kill_grace: '200ms' } });
    const run = await env.run(['check']);
    const escapee = pidIn(pidFile);
    strays.push(escapee);
    expect(run.code).toBe(2);
    const heal = healOf(strictRecords(env.logFile));
    expect(heal).toMatchObject({ timed_out: true, signal: 'SIGTERM' });
    if (cgroupHome === null) {
      expect(heal).toMatchObject({ containment: 'process_group', left_running: [{ pid: escapee, comm: 'sleep' }] });
      expect(isRunning(escapee)).toBe(true);
      return;
    }
    expect(heal).toMatchObject({ containment: 'cgroup', left_running: [] });
    expect(isRunning(escapee)).toBe(false);
    expect(cgroupPids(cgroupHome, heal.cgroup)).toEqual([]);
  });
});

describe('check: a heal that would outlast cycle_timeout', () => {
  it('gets only what is left of the cycle: the whole group is stopped in time, self_heal timed_out, exit 2 (CRITICAL, not UNKNOWN)', async () => {
    env = guardEnv(url);
    const pidFile = join(env.dir, 'grandchild.pid');
    env.writeConfig({ cycle_timeout: '2s', heal: { command: ['/bin/sh', join(SCRIPTS, 'spawn-grandchild.sh'), pidFile], timeout: '30s', kill_grace: '200ms' } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    const records = strictRecords(env.logFile);
    expect(records.map(eventOf)).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal']);
    expect(records[3]).toMatchObject({ timed_out: true, signal: 'SIGTERM' });
    expect(records[3]!.duration_ms).toBeLessThan(2000);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    strays.push(grandchild);
    await pause(200);
    expect(isRunning(grandchild)).toBe(false);
  });
});
