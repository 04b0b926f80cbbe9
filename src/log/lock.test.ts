import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { tryLock, parsePid, parseStartTime, processIdentity, readLock } from './lock.js';

let dir: string;
let lockPath: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-lock-'));
  lockPath = path.join(dir, 'run', 'guard.lock');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

// The pid of a process that has exited: a lock holding it is stale.
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid ?? 0;
}

function liveChild(): number {
  const child = spawn('sleep', ['5'], { stdio: 'ignore' });
  children.push(child);
  return child.pid ?? 0;
}

const readLockText = (): string | null => readLock(lockPath);
// The pid a lock names (its first line; a lock we write also records which process that pid is).
const holder = (): number | null => parsePid(readLockText() ?? '');

describe('tryLock', () => {
  it('acquires (creating the folder), writes our pid, and release removes the file', () => {
    const lock = tryLock(lockPath);
    expect(lock.acquired).toBe(true);
    expect(holder()).toBe(process.pid);
    if (lock.acquired) lock.release();
    expect(readLockText()).toBeNull();
    const again = tryLock(lockPath);
    expect(again.acquired).toBe(true);
    if (again.acquired) again.release();
  });

  it('refuses a second lock while held, naming the holder pid', () => {
    const first = tryLock(lockPath);
    expect(tryLock(lockPath)).toEqual({ acquired: false, path: lockPath, pid: process.pid });
    if (first.acquired) first.release();
  });

  it('refuses a lock held by another live process, naming it', () => {
    const pid = liveChild();
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.writeFileSync(lockPath, `${pid}\n`);
    expect(tryLock(lockPath)).toEqual({ acquired: false, path: lockPath, pid });
    expect(readLockText()).toBe(`${pid}\n`);
  });

  it('release leaves a lock that another process now holds', () => {
    const lock = tryLock(lockPath);
    const other = liveChild();
    fs.rmSync(lockPath);
    fs.writeFileSync(lockPath, `${other}\n`);
    if (lock.acquired) lock.release();
    expect(readLockText()).toBe(`${other}\n`);
  });

  const stale = [
    { name: 'a dead pid', content: async () => `${await deadPid()}\n`, ageS: 0 },
    { name: 'no valid pid, older than the grace period', content: async () => 'garbage', ageS: 60 },
    { name: 'an empty file, older than the grace period', content: async () => '', ageS: 60 },
  ];
  for (const s of stale) {
    it(`takes over a stale lock holding ${s.name}`, async () => {
      fs.mkdirSync(path.dirname(lockPath), { recursive: true });
      fs.writeFileSync(lockPath, await s.content());
      const old = Date.now() / 1000 - s.ageS;
      fs.utimesSync(lockPath, old, old);
      const lock = tryLock(lockPath);
      expect(lock.acquired).toBe(true);
      expect(holder()).toBe(process.pid);
      expect(readLock(`${lockPath}.takeover`)).toBeNull();
    });
  }

  it('records which process holds it, and takes over a lock whose live pid is now another process (pid reuse after a reboot)', () => {
    const lock = tryLock(lockPath);
    expect(fs.lstatSync(lockPath).isSymbolicLink()).toBe(true);
    expect(readLockText()).toBe(`${process.pid} start:${processIdentity(process.pid)}`);
    if (lock.acquired) lock.release();
    const pid = liveChild();
    fs.symlinkSync(`${pid} start:00000000:1`, lockPath); // the same pid in another boot
    const taken = tryLock(lockPath);
    expect(taken.acquired).toBe(true);
    expect(holder()).toBe(process.pid);
    if (taken.acquired) taken.release();
  });

  it('refuses a lock whose live pid is still the process that took it, and one from before start lines (pid only)', () => {
    const pid = liveChild();
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.symlinkSync(`${pid} start:${processIdentity(pid)}`, lockPath);
    expect(tryLock(lockPath)).toEqual({ acquired: false, path: lockPath, pid });
    fs.rmSync(lockPath);
    fs.writeFileSync(lockPath, `${pid}\n`);
    expect(tryLock(lockPath)).toEqual({ acquired: false, path: lockPath, pid });
  });

  it('reads the start time of a /proc stat line whose command holds spaces and parentheses', () => {
    const line = '4242 (a) b (c)) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10 18446744073709551615';
    expect(parseStartTime(line)).toBe('987654');
    expect(parseStartTime('4242 (x) S 1')).toBeNull();
    expect(processIdentity(process.pid)).toMatch(/^[0-9a-f]{8}:\d+$/);
    expect(processIdentity(process.pid, path.join(dir, 'no-proc'))).toBeNull();
  });

  it('does not take over a fresh lock without a pid (its owner is writing it)', () => {
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.writeFileSync(lockPath, '');
    expect(tryLock(lockPath)).toEqual({ acquired: false, path: lockPath, pid: null });
  });

  it('clears a takeover guard left by a process that died mid-takeover', async () => {
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.writeFileSync(lockPath, `${await deadPid()}\n`);
    fs.writeFileSync(`${lockPath}.takeover`, `${await deadPid()}\n`);
    const old = Date.now() / 1000 - 60;
    fs.utimesSync(`${lockPath}.takeover`, old, old);
    expect(tryLock(lockPath).acquired).toBe(true);
    expect(holder()).toBe(process.pid);
  });

  it('throws an error naming the lock file when its folder cannot exist', () => {
    fs.writeFileSync(path.join(dir, 'file.txt'), 'x');
    const bad = path.join(dir, 'file.txt', 'guard.lock');
    expect(() => tryLock(bad)).toThrow(`cannot use lock file ${bad}`);
  });

  it('parses pids strictly', () => {
    const cases: [string, number | null][] = [['123\n', 123], [' 42 ', 42], ['0\n', null], ['-5', null], ['12a', null], ['', null], ['99999999999', null]];
    for (const [text, pid] of cases) expect(parsePid(text), JSON.stringify(text)).toBe(pid);
  });

  it('lets exactly one of several processes racing for one stale lock take it over', async () => {
    const entry = fileURLToPath(new URL('./lock.ts', import.meta.url));
    buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: path.join(dir, 'lock.mjs'), logLevel: 'silent' });
    const script = path.join(dir, 'race.mjs');
    fs.writeFileSync(
      script,
      `import { tryLock } from './lock.mjs';
const [file, startAt] = [process.argv[2], Number(process.argv[3])];
while (Date.now() < startAt) {}
const r = tryLock(file);
console.log(JSON.stringify({ acquired: r.acquired, pid: process.pid }));
if (r.acquired) setTimeout(() => {}, 600);`,
    );
    fs.mkdirSync(path.dirname(lockPath), { recursive: true });
    fs.writeFileSync(lockPath, `${await deadPid()}\n`);
    const startAt = Date.now() + 500;
    const runs = Array.from({ length: 6 }, () => runRacer(script, lockPath, startAt));
    const results = await Promise.all(runs);
    const winners = results.filter((r) => r.acquired);
    expect(winners).toHaveLength(1);
    expect(holder()).toBe(winners[0]?.pid);
  });
});

async function runRacer(script: string, file: string, startAt: number): Promise<{ acquired: boolean; pid: number }> {
  const child = spawn(process.execPath, [script, file, String(startAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  await once(child, 'exit');
  return JSON.parse(out) as { acquired: boolean; pid: number };
}
