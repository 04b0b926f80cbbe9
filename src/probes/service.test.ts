// The service's own CPU and memory: a pid file's process tree and a cgroup v2 folder from captured trees
// (test/fixtures/proc/service, test/fixtures/cgroup/service), a unit found under a cgroup root, and a real
// process of this machine.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceTarget } from '../config/config.js';
import { readTextFile } from '../effects/procfs.js';
import { readService, sampleService, type ServiceDeps } from './service.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const PROC = join(fixtures, 'proc', 'service');
const CGROUP = join(fixtures, 'cgroup', 'service');
const NOW = 1_000_000;
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const deps = (more: Partial<ServiceDeps> = {}): ServiceDeps & { waits: number[] } => {
  const waits: number[] = [];
  return { readFile: readTextFile, procRoot: PROC, clock: { nowMs: () => NOW, sleep: async (ms) => void waits.push(ms) }, waits, ...more };
};
const pidFile: ServiceTarget = { kind: 'pid_file', path: join(PROC, 'web.pid'), name: 'web.pid' };
const cgroup: ServiceTarget = { kind: 'cgroup', path: CGROUP, name: 'service' };

describe('readService', () => {
  it('a pid file: the process and its descendants (not the neighbour), CPU in µs, resident memory over MemTotal', async () => {
    const r = await readService(pidFile, deps());
    expect(r).toEqual({ usageUs: 48_500_000, cpus: 4, mem: expect.closeTo((100 * 1_740_800) / 16_303_420, 9), source: 'pid 4242' });
  });

  it('a cgroup: usage_usec, the CPUs cpu.max allows, the working set over memory.max', async () => {
    expect(await readService(cgroup, deps())).toEqual({ usageUs: 90_000_000, cpus: 2, mem: 37.5, source: CGROUP });
  });

  it('a systemd unit: its folder under the first cgroup root that has it, in system.slice or another slice', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ag-cgroot-'));
    temps.push(root);
    mkdirSync(join(root, 'system.slice'));
    cpSync(CGROUP, join(root, 'app.slice', 'web.service'), { recursive: true });
    const r = await readService({ kind: 'unit', path: 'web.service', name: 'web.service' }, deps({ cgroupRoots: [join(root, 'nope'), root] }));
    expect(r.source).toBe(join(root, 'app.slice', 'web.service'));
    await expect(readService({ kind: 'unit', path: 'db.service', name: 'db.service' }, deps({ cgroupRoots: [root] }))).rejects.toThrow(/no cgroup for unit db.service under .* \(is it running\?\)/);
  });

  it('a pid file naming a process that is not running, or not a pid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-pidfile-'));
    temps.push(dir);
    writeFileSync(join(dir, 'gone.pid'), '999999\n');
    writeFileSync(join(dir, 'junk.pid'), 'nginx\n');
    await expect(readService({ kind: 'pid_file', path: join(dir, 'gone.pid'), name: 'gone.pid' }, deps())).rejects.toThrow(`process 999999 from ${join(dir, 'gone.pid')} is not running`);
    await expect(readService({ kind: 'pid_file', path: join(dir, 'junk.pid'), name: 'junk.pid' }, deps())).rejects.toThrow('does not hold a process id');
  });
});

describe('sampleService', () => {
  it('over the span since the previous reading of the same counter: no wait', async () => {
    const d = deps();
    // 48.5 s of CPU used, 24.25 s of it in the last 60 s, on 4 CPUs → 10.1 %
    const previous = { reading: { usageUs: 24_250_000, cpus: 4, mem: 1, source: 'pid 4242' }, atMs: NOW - 60_000 };
    const s = await sampleService(pidFile, { cpuSampleMs: 1000, previous }, d);
    expect(s.cpu).toBeCloseTo((100 * 24_250_000) / (60_000 * 1000 * 4), 9);
    expect(s).toMatchObject({ name: 'web.pid', spanMs: 60_000, errors: [] });
    expect(d.waits).toEqual([]);
  });

  it('samples over cpu_sample when the previous reading counted another process (the service restarted)', async () => {
    const d = deps();
    const previous = { reading: { usageUs: 1, cpus: 4, mem: 1, source: 'pid 4000' }, atMs: NOW - 60_000 };
    const s = await sampleService(pidFile, { cpuSampleMs: 1000, previous }, d);
    expect(d.waits).toEqual([1000]);
    expect(s.reading?.source).toBe('pid 4242');
  });

  it('a service that cannot be read is an error line, cpu and mem unknown', async () => {
    const s = await sampleService({ kind: 'cgroup', path: join(CGROUP, 'nope'), name: 'nope' }, { cpuSampleMs: 1000, previous: null }, deps());
    expect(s).toMatchObject({ cpu: null, mem: null, reading: null });
    expect(s.errors).toEqual([`service: cannot read ${join(CGROUP, 'nope', 'cpu.stat')}: no such file or directory`]);
  });
});

describe.runIf(process.platform === 'linux')('readService on this machine', () => {
  it('finds a real process and its child through its pid file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-realpid-'));
    temps.push(dir);
    const child = spawn(process.execPath, ['-e', "require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'inherit' }); setTimeout(() => {}, 30000)"], { stdio: 'ignore', detached: true });
    try {
      writeFileSync(join(dir, 'svc.pid'), `${child.pid}\n`);
      const target: ServiceTarget = { kind: 'pid_file', path: join(dir, 'svc.pid'), name: 'svc.pid' };
      const real: ServiceDeps = { readFile: readTextFile, procRoot: '/proc', clock: { nowMs: () => Date.now(), sleep: async () => undefined } };
      // The grandchild may take a moment to start on a busy machine: wait until the tree has two processes.
      for (let i = 0; i < 200 && !hasChild(child.pid as number); i++) await new Promise((done) => setTimeout(done, 50));
      const r = await readService(target, real);
      expect(r.source).toBe(`pid ${child.pid}`);
      expect(r.mem).toBeGreaterThan(0);
      expect(r.usageUs).toBeGreaterThanOrEqual(0);
    } finally {
      process.kill(-(child.pid as number), 'SIGKILL'); // its own process group: the grandchild too
    }
  });
});

function hasChild(pid: number): boolean {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim() !== '';
}
