import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { delegatedHome, delegation, locateCgroupHome, parseCgroup2Mount, parseUnifiedPath } from './cgroup.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

// A /proc tree with a mountinfo, a self/cgroup and PID 1's name.
function procTree(mountinfo: string, cgroup: string, pid1: string): string {
  const proc = mkdtempSync(join(tmpdir(), 'ag-cgproc-'));
  dirs.push(proc);
  mkdirSync(join(proc, 'self'));
  mkdirSync(join(proc, '1'));
  writeFileSync(join(proc, 'self', 'mountinfo'), mountinfo);
  writeFileSync(join(proc, 'self', 'cgroup'), cgroup);
  writeFileSync(join(proc, '1', 'comm'), `${pid1}\n`);
  return proc;
}

const PURE_V2 = '25 21 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n';
const HYBRID = [
  '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('finding the guard\'s own cgroup', () => {
  it('reads the cgroup2 mount of a pure v2 host, a hybrid one, an escaped path, and none on a v1-only host', () => {
    expect(parseCgroup2Mount(PURE_V2)).toEqual({ mountPoint: '/sys/fs/cgroup', root: '/' });
    expect(parseCgroup2Mount(HYBRID)).toEqual({ mountPoint: '/sys/fs/cgroup/unified', root: '/' });
    expect(parseCgroup2Mount('7 1 0:5 /a /mnt/cg\\040x rw - cgroup2 none rw')).toEqual({ mountPoint: '/mnt/cg x', root: '/a' });
    expect(parseCgroup2Mount('31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu')).toBeNull();
  });

  it('reads the unified path of /proc/self/cgroup', () => {
    expect(parseUnifiedPath('0::/system.slice/anomaly-guard.service\n')).toBe('/system.slice/anomaly-guard.service');
    expect(parseUnifiedPath('4:memory:/x\n0::/\n')).toBe('/');
    expect(parseUnifiedPath('4:memory:/x\n1:cpu:/\n')).toBeNull();
  });

  it('joins them into the folder of our cgroup, also below a mount of a sub-tree', () => {
    const proc = procTree(PURE_V2, '0::/system.slice/ag.service\n', 'systemd');
    expect(locateCgroupHome(proc)).toEqual({ dir: '/sys/fs/cgroup/system.slice/ag.service', path: '/system.slice/ag.service' });
    const sub = procTree('7 1 0:5 /system.slice /cg rw - cgroup2 none rw\n', '0::/system.slice/ag.service\n', 'init');
    expect(locateCgroupHome(sub)).toEqual({ dir: '/cg/ag.service', path: '/system.slice/ag.service' });
    expect(locateCgroupHome(procTree('7 1 0:5 /other /cg rw - cgroup2 none rw\n', '0::/system.slice/ag.service\n', 'init'))).toBeNull();
  });
});

describe('whether the guard may make cgroups below its own', () => {
  const cases: [string, string, ReturnType<typeof delegation>][] = [
    ['/', 'process_api', { ok: true }], // no cgroup manager: a container's own tree
    ['/docker/abc', 'tini', { ok: true }],
    ['/system.slice/anomaly-guard.service', 'systemd', { unit: 'anomaly-guard.service', user: false }], // ask for Delegate=
    ['/system.slice/anomaly-guard.service/guard', 'systemd', { ok: true }], // DelegateSubgroup=guard: delegated
    ['/user.slice/user-1000.slice/user@1000.service/app.slice/ag.service', 'systemd', { unit: 'ag.service', user: true }],
    ['/system.slice/cron.service', 'systemd', { unit: 'cron.service', user: false }],
    ['/system.slice', 'systemd', { ok: false }],
    ['/', 'systemd', { ok: false }],
  ];
  for (const [path, pid1, expected] of cases) {
    it(`${path} under ${pid1}`, () => expect(delegation(path, pid1)).toEqual(expected));
  }

  it('/ under systemd in a cgroup namespace of our own (ProtectControlGroups=private)', () => {
    expect(delegation('/', 'systemd', true)).toEqual({ ok: true });
  });

  it('is not offered on a host without the unified hierarchy', async () => {
    expect(await delegatedHome(procTree(HYBRID.split('\n')[0] as string, '4:memory:/x\n', 'init'))).toBeNull();
  });

  it('is offered under an init that manages no cgroups', async () => {
    expect(await delegatedHome(procTree(HYBRID, '0::/\n', 'process_api'))).toEqual({ dir: '/sys/fs/cgroup/unified', path: '/' });
  });
});
