// One heal's cgroup below the guard's own: made before the heal starts, the heal born in it, its members
// listed after the heal, all of them killed at once on a timeout, removed once empty.
import fs from 'node:fs';
import { join } from 'node:path';
import type { CgroupHome } from './cgroup.js';

/** A heal's cgroup. */
export interface HealCgroup {
  /** Its folder's name below the guard's cgroup. */
  readonly name: string;
  /** Its path in the hierarchy (for the record: `/sys/fs/cgroup<path>` on a pure cgroup v2 host). */
  readonly path: string;
  /** Moves this process in, so that a child forked now is born inside; false when it cannot. */
  enter(): boolean;
  /** Moves this process back to its own cgroup; false when it cannot (then kill() spares it). */
  leave(): boolean;
  /** The pids in it now (zombies are not members). */
  pids(): number[];
  /** SIGKILL to every member at once (cgroup.kill, Linux 5.14), else to each listed pid. */
  kill(): void;
  /** Removes it when empty; a cgroup with a member left running stays. */
  remove(): void;
}

const PREFIX = 'ag-heal-';

/** Makes the cgroup `ag-heal-<our pid>-<n>` below home; null when it cannot (read-only, not ours, limits). */
export function makeHealCgroup(home: CgroupHome, n: number): HealCgroup | null {
  const name = `${PREFIX}${process.pid}-${n}`;
  const dir = join(home.dir, name);
  try {
    fs.mkdirSync(dir);
  } catch {
    return null;
  }
  const moveTo = (folder: string): boolean => {
    try {
      fs.writeFileSync(join(folder, 'cgroup.procs'), String(process.pid));
      return true;
    } catch {
      return false;
    }
  };
  const pids = (): number[] => readPids(dir);
  return {
    name,
    path: `${home.path === '/' ? '' : home.path}/${name}`,
    enter: () => moveTo(dir),
    leave: () => moveTo(home.dir),
    pids,
    kill: () => killAll(dir, pids),
    remove: () => removeEmpty(dir),
  };
}

function readPids(dir: string): number[] {
  try {
    return fs.readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// Never kills this process: if it could not leave the cgroup, each other member gets SIGKILL instead.
function killAll(dir: string, pids: () => number[]): void {
  const members = pids();
  if (!members.includes(process.pid)) {
    try {
      fs.writeFileSync(join(dir, 'cgroup.kill'), '1');
      return;
    } catch {
      // no cgroup.kill before Linux 5.14: one by one
    }
  }
  for (const pid of members) {
    if (pid === process.pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

function removeEmpty(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // EBUSY: something still runs in it (reported in the record); it stays
  }
}

/** Removes the empty heal cgroups below home left by guards no longer running, or by this one's earlier heals. */
export function sweepHealCgroups(home: CgroupHome, running: (pid: number) => boolean, open: ReadonlySet<string>): void {
  let names: string[];
  try {
    names = fs.readdirSync(home.dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^ag-heal-(\d+)-\d+$/.exec(name);
    if (!m || open.has(name)) continue;
    if (Number(m[1]) === process.pid || !running(Number(m[1]))) removeEmpty(join(home.dir, name));
  }
}
