import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { currentBoot, processIdentity, readLock, tryLock } from './lock.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid as number;
}

describe('a lock that names a heal process group', () => {
  it('stays held while the group lives, even when the pid that took it is dead (kill -9 mid-heal)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-lockgroup-'));
    dirs.push(dir);
    const path = join(dir, 'log.ndjson.heal.lock');
    const heal = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      writeFileSync(path, `${deadPid()}\ngroup ${heal.pid}\n`);
      const held = tryLock(path);
      expect(held.acquired).toBe(false);
    } finally {
      process.kill(-(heal.pid as number), 'SIGKILL');
      await new Promise((r) => heal.once('exit', r));
    }
    await new Promise((r) => setTimeout(r, 50));
    const taken = tryLock(path);
    expect(taken.acquired).toBe(true);
  });

  it('is stale when taken in an earlier boot, even if a process group of that number lives now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-lockgroup-'));
    dirs.push(dir);
    const path = join(dir, 'log.ndjson.heal.lock');
    const heal = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      symlinkSync(`${deadPid()} start:${currentBoot()}:1 group:${heal.pid}`, path); // this boot: held
      expect(tryLock(path).acquired).toBe(false);
      rmSync(path);
      symlinkSync(`${deadPid()} start:00000000:1 group:${heal.pid}`, path); // another boot: stale
      const taken = tryLock(path);
      expect(taken.acquired).toBe(true);
      if (taken.acquired) taken.release();
    } finally {
      process.kill(-(heal.pid as number), 'SIGKILL');
      await new Promise((r) => heal.once('exit', r));
    }
  });

  it('works as a regular file where links are not available: create, record the group, release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-lockgroup-'));
    dirs.push(dir);
    const path = join(dir, 'x.lock');
    const lock = tryLock(path, { links: false });
    if (!lock.acquired) throw new Error('expected the lock');
    expect(lstatSync(path).isFile()).toBe(true);
    expect(tryLock(path, { links: false })).toEqual({ acquired: false, path, pid: process.pid });
    lock.holdGroup(4242);
    expect(lstatSync(path).isFile()).toBe(true);
    expect(readLock(path)).toBe(`${process.pid} start:${processIdentity(process.pid)} group:4242`);
    lock.release();
    expect(readLock(path)).toBeNull();
  });

  it('holdGroup records the group in our own lock, and release removes it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-lockgroup-'));
    dirs.push(dir);
    const path = join(dir, 'x.lock');
    const lock = tryLock(path);
    if (!lock.acquired) throw new Error('expected the lock');
    lock.holdGroup(4242);
    expect(readLock(path)).toBe(`${process.pid} start:${processIdentity(process.pid)} group:4242`);
    lock.release();
    expect(readLock(path)).toBeNull();
  });
});
