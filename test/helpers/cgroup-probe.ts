// Whether this machine lets the guard run heals in their own cgroup (cgroup v2, delegated, writable), as the
// guard itself decides; tests assert `containment: "cgroup"` there and skip the cgroup-only checks elsewhere.
import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { delegatedHome, type CgroupHome } from '../../src/effects/cgroup.js';

/** The cgroup heals are made under, or null where the guard falls back to the process group. */
export async function healCgroupHome(): Promise<CgroupHome | null> {
  const home = await delegatedHome();
  if (home === null) return null;
  const probe = join(home.dir, `ag-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return home;
  } catch {
    return null;
  }
}

/** The pids in a heal cgroup (by its path in the hierarchy); [] when it is gone. */
export function cgroupPids(home: CgroupHome, path: string): number[] {
  const dir = join(home.dir, path.slice(home.path === '/' ? 0 : home.path.length));
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The containment fields a self_heal record carries on this machine, with nothing left running. */
export function containedNothingLeft(home: CgroupHome | null): Record<string, unknown> {
  return home === null
    ? { containment: 'process_group', left_running: [] }
    : { containment: 'cgroup', cgroup: expect.stringMatching(/\/ag-heal-\d+-\d+$/), left_running: [] };
}

/** Removes a heal cgroup a test left (once its processes are gone); quiet when it is gone or still busy. */
export function removeCgroup(home: CgroupHome, path: string): void {
  try {
    rmdirSync(join(home.dir, path.slice(home.path === '/' ? 0 : home.path.length)));
  } catch {
    // gone already, or a member still exiting: the next guard's sweep removes it
  }
}
