// A heal's containment with real processes: an escaped child (setsid, ignores SIGTERM) is found after the
// heal, left running after a normal exit, and killed on a timeout where the heal ran in its own cgroup.
// The cgroup cases run where this machine offers one (cgroup v2, delegated, writable) and skip elsewhere.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cgroupPids, healCgroupHome, removeCgroup } from '../../test/helpers/cgroup-probe.js';
import type { CgroupHome } from './cgroup.js';
import { HEAL_MARK, healContainment } from './containment.js';
import { nodeProcessRunner, type RunResult } from './process-runner.js';

const escape = fileURLToPath(new URL('../../test/fixtures/scripts/escape.sh', import.meta.url));
const clock = { monoMs: () => performance.now() };
let home: CgroupHome | null = null;
let dir = '';
const strays: number[] = [];
const made: string[] = [];
beforeAll(async () => {
  home = await healCgroupHome();
});
afterEach(async () => {
  for (const pid of strays.splice(0)) {
    kill(pid);
    await gone(pid);
  }
  for (const path of made.splice(0)) removeCgroup(home as CgroupHome, path);
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

// Running: present and not a zombie (an orphan's init may be slow to reap it).
function runs(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && runs(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !runs(pid);
}

const ownCgroup = (): string => readFileSync('/proc/self/cgroup', 'utf8');

async function runEscape(cgroups: boolean, mode: 'exit' | 'hang'): Promise<{ r: RunResult; escapee: number }> {
  dir = mkdtempSync(join(tmpdir(), 'ag-contain-'));
  const pidFile = join(dir, 'escapee.pid');
  const run = nodeProcessRunner({ clock, containment: healContainment({ cgroups }) });
  const before = ownCgroup();
  const r = await run({ argv: ['/bin/sh', escape, pidFile, mode], input: '', timeoutMs: mode === 'hang' ? 1500 : 20_000, killGraceMs: 200, contain: true });
  expect(ownCgroup()).toBe(before); // the guard went back to its own cgroup after starting the heal
  const escapee = Number(readFileSync(pidFile, 'utf8'));
  strays.push(escapee);
  if (r.containment?.cgroup) made.push(r.containment.cgroup);
  return { r, escapee };
}

const ifCgroup = (name: string, fn: () => Promise<void>) => it(name, async (ctx) => (home === null ? ctx.skip() : fn()));

describe('a heal whose child escaped its process group (setsid) and ignores SIGTERM', () => {
  ifCgroup('in a cgroup: after a normal exit it is reported in leftRunning and left running', async () => {
    const { r, escapee } = await runEscape(true, 'exit');
    expect(r).toMatchObject({ exitCode: 0, timedOut: false });
    expect(r.containment).toEqual({ kind: 'cgroup', cgroup: expect.stringMatching(/\/ag-heal-\d+-\d+$/), leftRunning: [{ pid: escapee, comm: 'sleep', pgid: escapee }] });
    expect(runs(escapee)).toBe(true);
    expect(cgroupPids(home as CgroupHome, r.containment?.cgroup as string)).toEqual([escapee]); // the cgroup stays while it runs
  });

  ifCgroup('in a cgroup: on a timeout the whole cgroup is killed, the escaped child too, and the empty cgroup removed', async () => {
    const { r, escapee } = await runEscape(true, 'hang');
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
    expect(r.containment).toEqual({ kind: 'cgroup', cgroup: expect.any(String), leftRunning: [] });
    expect(await gone(escapee)).toBe(true);
    expect(existsSync(join((home as CgroupHome).dir, (r.containment?.cgroup as string).split('/').at(-1) as string))).toBe(false);
  });

  it('in a process group only: after a normal exit it is still found by its environment mark, and left running', async () => {
    const { r, escapee } = await runEscape(false, 'exit');
    expect(r.containment).toEqual({ kind: 'process_group', cgroup: null, leftRunning: [{ pid: escapee, comm: 'sleep', pgid: escapee }] });
    expect(readFileSync(`/proc/${escapee}/environ`, 'latin1')).toContain(`${HEAL_MARK}=`);
    expect(runs(escapee)).toBe(true);
  });

  it('in a process group only: on a timeout the group dies, the escaped child survives and is reported', async () => {
    const { r, escapee } = await runEscape(false, 'hang');
    expect(r).toMatchObject({ timedOut: true });
    expect(r.containment).toEqual({ kind: 'process_group', cgroup: null, leftRunning: [{ pid: escapee, comm: 'sleep', pgid: escapee }] });
    expect(runs(escapee)).toBe(true);
  });
});

describe('one runner for every target (the daemon shares it)', () => {
  ifCgroup('two heals at once each run in a cgroup of their own', async () => {
    const run = nodeProcessRunner({ clock, containment: healContainment() });
    const heal = (): Promise<RunResult> => run({ argv: ['/bin/sh', '-c', 'cat /proc/self/cgroup; sleep 0.3'], input: '', timeoutMs: 20_000, killGraceMs: 200, contain: true });
    const [a, b] = await Promise.all([heal(), heal()]);
    for (const r of [a, b]) if (r.containment?.cgroup) made.push(r.containment.cgroup);
    expect(a.containment?.kind).toBe('cgroup');
    expect(b.containment?.kind).toBe('cgroup');
    expect(a.containment?.cgroup).not.toBe(b.containment?.cgroup);
    expect(a.stdoutTail).toContain((a.containment?.cgroup as string).split('/').at(-1));
    expect(b.stdoutTail).toContain((b.containment?.cgroup as string).split('/').at(-1));
  });
});

describe('a contained run that cannot start', () => {
  it('reports the same error as before and leaves no cgroup behind', async () => {
    const run = nodeProcessRunner({ clock, containment: healContainment() });
    const r = await run({ argv: ['/nonexistent/heal'], input: '', timeoutMs: 1000, killGraceMs: 100, contain: true });
    expect(r).toMatchObject({ error: 'command not found: /nonexistent/heal', exitCode: null });
    expect(r.containment).toMatchObject({ kind: home === null ? 'process_group' : 'cgroup', leftRunning: [] });
    if (home !== null) expect(readdirSync(home.dir).filter((n) => n.startsWith(`ag-heal-${process.pid}-`))).toEqual([]);
  });

  it('an uncontained run (an alert command) reports no containment', async () => {
    const run = nodeProcessRunner({ clock, containment: healContainment() });
    const r = await run({ argv: ['/bin/true'], input: '', timeoutMs: 5000, killGraceMs: 100 });
    expect(r).toMatchObject({ exitCode: 0, containment: null });
  });
});
