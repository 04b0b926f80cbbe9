// Heal cgroups (cgroup v2): where the guard may make one, and what one holds. A cgroup keeps every process a
// heal starts, also one that left the heal's process group (setsid) and ignores SIGTERM; cgroup.kill ends them all.
// The guard makes them only below its own cgroup, and only where that subtree is its to manage: delegated
// to it by systemd (`Delegate=yes`), the root of its own cgroup namespace, or on a host whose PID 1 is no
// cgroup manager (a container's own tree).
import fs from 'node:fs';
import { join } from 'node:path';
import { loadChildProcess } from './lazy-tls.js';

/** The guard's own cgroup: its folder in the cgroup2 file system and its path in the hierarchy. */
export interface CgroupHome {
  dir: string;
  path: string;
}

/** The cgroup2 mount (its mount point and the hierarchy path it shows) in a /proc/<pid>/mountinfo text. */
export function parseCgroup2Mount(mountinfo: string): { mountPoint: string; root: string } | null {
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (right?.split(' ')[0] !== 'cgroup2' || left === undefined) continue;
    const fields = left.split(' ');
    if (fields[3] !== undefined && fields[4] !== undefined) return { root: unescape(fields[3]), mountPoint: unescape(fields[4]) };
  }
  return null;
}

// mountinfo writes a space, tab, newline and backslash in a path as octal escapes (\040).
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** The cgroup v2 path (`0::<path>`) in a /proc/<pid>/cgroup text; null on a host without the unified hierarchy. */
export function parseUnifiedPath(text: string): string | null {
  const line = text.split('\n').find((l) => l.startsWith('0::'));
  return line === undefined ? null : line.slice(3).replace(/ \(deleted\)$/, '');
}

/** The guard's own cgroup folder; null where there is no cgroup2 mount showing it. */
export function locateCgroupHome(proc = '/proc'): CgroupHome | null {
  try {
    const mount = parseCgroup2Mount(fs.readFileSync(`${proc}/self/mountinfo`, 'utf8'));
    const path = parseUnifiedPath(fs.readFileSync(`${proc}/self/cgroup`, 'utf8'));
    if (mount === null || path === null) return null;
    const root = mount.root === '/' ? '' : mount.root;
    if (path !== root && !path.startsWith(`${root}/`)) return null; // our cgroup is outside what is mounted
    const rel = path.slice(root.length);
    return { dir: rel === '' || rel === '/' ? mount.mountPoint : join(mount.mountPoint, rel), path };
  } catch {
    return null;
  }
}

/** Whether the guard's cgroup is its own to divide: yes, no, or ask systemd for the unit's `Delegate=`. */
export type Delegation = { ok: boolean } | { unit: string; user: boolean };

/**
 * Decides from our cgroup path, PID 1's name and whether we are in a cgroup namespace of our own (systemd's
 * `ProtectControlGroups=private`); a path below a unit's cgroup was made by a delegatee already.
 */
export function delegation(path: string, pid1: string, ownNamespace = false): Delegation {
  if (pid1 !== 'systemd' || ownNamespace) return { ok: true };
  const last = path.split('/').at(-1) ?? '';
  if (!/\.(service|scope|slice|socket|mount|swap)$/.test(last)) return { ok: last !== '' };
  if (!/\.(service|scope)$/.test(last)) return { ok: false };
  return { unit: last, user: /\/user@\d+\.service\//.test(path) };
}

/** Asks systemd whether a unit has `Delegate=yes`; false when systemctl cannot tell within 3 s. */
export function systemdDelegates(unit: string, user: boolean): Promise<boolean> {
  const args = [...(user ? ['--user'] : []), 'show', '--property=Delegate', '--value', '--', unit];
  return new Promise((resolve) => {
    loadChildProcess().execFile('systemctl', args, { timeout: 3000 }, (err, stdout) => resolve(err === null && stdout.trim() === 'yes'));
  });
}

// Our cgroup namespace is not PID 1's (unknown, e.g. not root: false).
function ownNamespace(proc: string): boolean {
  try {
    return fs.readlinkSync(`${proc}/self/ns/cgroup`) !== fs.readlinkSync(`${proc}/1/ns/cgroup`);
  } catch {
    return false;
  }
}

/** The guard's cgroup when it may make heal cgroups below it; null otherwise. */
export async function delegatedHome(proc = '/proc'): Promise<CgroupHome | null> {
  const home = locateCgroupHome(proc);
  if (home === null) return null;
  let pid1 = '';
  try {
    pid1 = fs.readFileSync(`${proc}/1/comm`, 'utf8').trim();
  } catch {
    // hidden: treat as no manager; making the cgroup fails where it is not allowed
  }
  const d = delegation(home.path, pid1, ownNamespace(proc));
  return ('ok' in d ? d.ok : await systemdDelegates(d.unit, d.user)) ? home : null;
}
