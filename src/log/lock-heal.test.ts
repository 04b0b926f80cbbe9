import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentBoot, processIdentity, readLock, tryLock } from './lock.js';

const dirs: string[] = [];
const started: ChildProcess[] = [];
const strays: number[] = [];
afterEach(() => {
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
  for (const pid of strays.splice(0)) kill(-pid);
  for (const child of started.splice(0)) if (child.pid !== undefined) kill(-child.pid);
});

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

function lockPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ag-lockheal-'));
  dirs.push(dir);
  return join(dir, 'log.ndjson.heal.lock');
}

// A heal leader in its own process group (as the runner starts it), running `script` in sh; its stdout lines.
function startHeal(script: string): { pid: number; child: ChildProcess; lines: () => string[] } {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  return { pid: child.pid as number, child, lines: () => out.split('\n').filter(Boolean) };
}

const ticksOf = (pid: number): string => (processIdentity(pid) as string).split(':')[1] as string;
const exited = (child: ChildProcess): Promise<unknown> => (child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));
async function until(what: () => boolean): Promise<void> {
  while (!what()) await new Promise((r) => setTimeout(r, 20));
}

describe('a heal lock left by a guard killed mid-heal (its pid dead) names the heal command', () => {
  it('stays held while the heal command runs, and is taken over once it exited', async () => {
    const path = lockPath();
    const heal = startHeal('exec sleep 30');
    symlinkSync(`${deadPid()} start:${currentBoot()}:1 heal:${heal.pid}:${ticksOf(heal.pid)}`, path);
    expect(tryLock(path)).toEqual({ acquired: false, path, pid: expect.any(Number) });
    heal.child.kill('SIGKILL');
    await exited(heal.child);
    const taken = tryLock(path);
    expect(taken.acquired).toBe(true);
    expect(readLock(path)).toBe(`${process.pid} start:${processIdentity(process.pid)}`);
  });

  it('is not held by a service the heal started in the background in its group, once the heal itself exited', async () => {
    const path = lockPath();
    const heal = startHeal('sleep 30 & echo $!; exec sleep 30');
    await until(() => heal.lines().length === 1);
    const service = Number(heal.lines()[0]);
    symlinkSync(`${deadPid()} start:${currentBoot()}:1 heal:${heal.pid}:${ticksOf(heal.pid)}`, path);
    expect(tryLock(path).acquired).toBe(false); // the heal still runs
    heal.child.kill('SIGKILL');
    await exited(heal.child);
    expect(() => process.kill(-heal.pid, 0)).not.toThrow(); // its group lives on in the service
    expect(readFileSync(`/proc/${service}/stat`, 'utf8')).toMatch(/\(sleep\) S/);
    expect(tryLock(path).acquired).toBe(true);
  });

  it('is not held by a live process that reused the heal\'s pid (another start time)', () => {
    const path = lockPath();
    const heal = startHeal('exec sleep 30');
    symlinkSync(`${deadPid()} start:${currentBoot()}:1 heal:${heal.pid}:${Number(ticksOf(heal.pid)) - 1}`, path);
    expect(tryLock(path).acquired).toBe(true);
  });

  it('is not held by a heal that is a zombie (exited, not yet reaped by its new parent)', async () => {
    const path = lockPath();
    // The background sleep's parent becomes `sleep 30` (exec), which never reaps it.
    const parent = startHeal('sleep 0.1 & echo $!; exec sleep 30');
    await until(() => parent.lines().length === 1);
    const zombie = Number(parent.lines()[0]);
    const ticks = ticksOf(zombie);
    await until(() => / Z /.test(readFileSync(`/proc/${zombie}/stat`, 'utf8')));
    symlinkSync(`${deadPid()} start:${currentBoot()}:1 heal:${zombie}:${ticks}`, path);
    expect(tryLock(path).acquired).toBe(true);
  });

  it('reads an older version\'s lock naming the heal\'s process group: held while its leader runs, not its other members', async () => {
    const path = lockPath();
    const heal = startHeal('sleep 30 & echo $!; exec sleep 30');
    await until(() => heal.lines().length === 1);
    strays.push(heal.pid);
    writeFileSync(path, `${deadPid()}\ngroup ${heal.pid}\n`);
    expect(tryLock(path).acquired).toBe(false);
    rmSync(path);
    symlinkSync(`${deadPid()} start:${currentBoot()}:1 group:${heal.pid}`, path);
    expect(tryLock(path).acquired).toBe(false);
    heal.child.kill('SIGKILL');
    await exited(heal.child);
    expect(tryLock(path).acquired).toBe(true);
  });

  it('is stale when taken in an earlier boot, even if a process of that number runs now', () => {
    const path = lockPath();
    const heal = startHeal('exec sleep 30');
    symlinkSync(`${deadPid()} start:${currentBoot()}:1 heal:${heal.pid}:${ticksOf(heal.pid)}`, path); // this boot: held
    expect(tryLock(path).acquired).toBe(false);
    rmSync(path);
    symlinkSync(`${deadPid()} start:00000000:1 heal:${heal.pid}:${ticksOf(heal.pid)}`, path); // another boot: stale
    const taken = tryLock(path);
    expect(taken.acquired).toBe(true);
    if (taken.acquired) taken.release();
  });
});

describe('holdHeal', () => {
  it('records the heal command\'s pid and start time in our own lock, and release removes it', () => {
    const path = lockPath();
    const heal = startHeal('exec sleep 30');
    const lock = tryLock(path);
    if (!lock.acquired) throw new Error('expected the lock');
    lock.holdHeal(heal.pid);
    expect(readLock(path)).toBe(`${process.pid} start:${processIdentity(process.pid)} heal:${heal.pid}:${ticksOf(heal.pid)}`);
    lock.release();
    expect(readLock(path)).toBeNull();
  });

  it('records the pid alone when /proc cannot say when it started (it is gone already)', () => {
    const path = lockPath();
    const lock = tryLock(path);
    if (!lock.acquired) throw new Error('expected the lock');
    const gone = deadPid();
    lock.holdHeal(gone);
    expect(readLock(path)).toBe(`${process.pid} start:${processIdentity(process.pid)} heal:${gone}`);
    lock.release();
  });

  it('works as a regular file where links are not available: create, record the heal, release', () => {
    const path = lockPath();
    const lock = tryLock(path, { links: false });
    if (!lock.acquired) throw new Error('expected the lock');
    expect(lstatSync(path).isFile()).toBe(true);
    expect(tryLock(path, { links: false })).toEqual({ acquired: false, path, pid: process.pid });
    lock.holdHeal(process.pid);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readLock(path)).toBe(`${process.pid} start:${processIdentity(process.pid)} heal:${process.pid}:${ticksOf(process.pid)}`);
    lock.release();
    expect(readLock(path)).toBeNull();
  });
});
