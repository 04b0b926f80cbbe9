import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { sleep, systemClock } from '../effects/clock.js';
import { procfsReader, type ProcfsReader } from '../effects/procfs.js';
import { nodeStatfs, type Statfs } from '../effects/statfs.js';
import { sharedReads } from '../effects/shared-reads.js';
import { sampleHost, type HostSampleDeps } from './host.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
const procRoot = (name: string): string => join(fixtures, 'proc', name);
const cgroupRoot = (name: string): string => join(fixtures, 'cgroup', name);

// used 700 blocks of 950 usable by non-root users → 73.68 %
const fakeStatfs: Statfs = async () => ({ bsize: 4096, blocks: 1000, bfree: 300, bavail: 250 });
const DISK = (700 / 950) * 100;

// A fake clock that returns at once and remembers what it was asked to wait.
function instantClock(onSleep?: () => void): HostSampleDeps['clock'] & { waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms) => void (waits.push(ms), onSleep?.()) };
}

// Serves `stat` from a list (first read, second read); everything else from the fixture tree.
function statSequence(texts: string[], rest: ProcfsReader): ProcfsReader {
  let i = 0;
  return {
    read: async (rel) => (rel === 'stat' ? (texts[i++] ?? '') : rest.read(rel)),
    pathOf: (rel) => rest.pathOf?.(rel) ?? rel,
  };
}

// The effects with a fake statfs and an instant clock unless given.
const deps = (procfs: ProcfsReader, more: Partial<HostSampleDeps> = {}): HostSampleDeps => ({
  procfs,
  statfs: fakeStatfs,
  clock: instantClock(),
  ...more,
});

const cpuLine = (...f: number[]): string => `cpu  ${f.join(' ')}\ncpu0 ${f.join(' ')}\nctxt 1\n`;

const temps: string[] = [];
function tempProc(from: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'anomaly-guard-host-'));
  temps.push(dir);
  cpSync(procRoot(from), dir, { recursive: true });
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const opts = { cpuSampleMs: 1000, diskPath: '/data' };

describe('sampleHost on captured /proc trees', () => {
  it.each([
    // identical stat reads: Δtotal 0 → cpu 0
    ['idle', 30],
    ['busy', 95],
    ['no-memavailable', 50],
  ])('%s', async (name, mem) => {
    const clock = instantClock();
    const s = await sampleHost(opts, { procfs: procfsReader(procRoot(name)), statfs: fakeStatfs, clock });
    expect(s.errors).toEqual([]);
    expect(s.cpu).toBe(0);
    expect(s.mem).toBeCloseTo(mem, 10);
    expect(s.disk).toBeCloseTo(DISK, 10);
    expect(clock.waits).toEqual([1000]);
  });

  it('missing: cpu and mem are null with one line each, disk still measured, no wait', async () => {
    const root = procRoot('missing');
    const clock = instantClock();
    const s = await sampleHost(opts, { procfs: procfsReader(root), statfs: fakeStatfs, clock });
    expect(s).toEqual({
      cpu: null,
      mem: null,
      disk: expect.closeTo(DISK, 10),
      cpuTicks: null,
      cpuSpanMs: null,
      errors: [
        `cpu: cannot read ${join(root, 'stat')}: no such file or directory`,
        `mem: cannot read ${join(root, 'meminfo')}: no such file or directory`,
      ],
    });
    expect(clock.waits).toEqual([]);
  });
});

describe('sampleHost CPU over two readings', () => {
  const rest = procfsReader(procRoot('idle'));
  const start = [1000, 0, 500, 90000, 100, 0, 0, 0, 0, 0];
  it.each([
    // Δuser 900, Δsystem 50, Δidle 40, Δiowait 10: busy 950 of 1000 → 95 %
    ['95 % busy', cpuLine(...start), cpuLine(1900, 0, 550, 90040, 110, 0, 0, 0, 0, 0), 95],
    // Δuser 300, Δsystem 100, Δidle −500 → 0: busy 400 of 400 → 100 %, never above
    ['idle counter backwards', cpuLine(...start), cpuLine(1300, 0, 600, 89500, 100, 0, 0, 0, 0, 0), 100],
    // Δuser 50, Δidle 150, Δiowait −20 → 0: busy 50 of 200 → 25 %
    ['iowait counter backwards', cpuLine(...start), cpuLine(1050, 0, 500, 90150, 80, 0, 0, 0, 0, 0), 25],
  ])('%s', async (_name, first, second, cpu) => {
    const s = await sampleHost(opts, deps(statSequence([first, second], rest)));
    expect(s.errors).toEqual([]);
    expect(s.cpu).toBeCloseTo(cpu, 10);
  });

  it('a stat file that vanishes during the wait degrades cpu only', async () => {
    const root = tempProc('idle');
    const clock = instantClock(() => unlinkSync(join(root, 'stat')));
    const s = await sampleHost(opts, { procfs: procfsReader(root), statfs: fakeStatfs, clock });
    expect(s.cpu).toBeNull();
    expect(s.mem).toBeCloseTo(30, 10);
    expect(s.errors).toEqual([`cpu: cannot read ${join(root, 'stat')}: no such file or directory`]);
  });

  it('rejects with the signal reason when aborted during the wait', async () => {
    const ac = new AbortController();
    const reason = new Error('cycle timeout');
    const clock = {
      sleep: (ms: number, signal?: AbortSignal) => {
        const waiting = sleep(ms, signal);
        ac.abort(reason);
        return waiting;
      },
    };
    const run = sampleHost({ ...opts, cpuSampleMs: 60_000, signal: ac.signal }, deps(procfsReader(procRoot('idle')), { clock }));
    await expect(run).rejects.toBe(reason);
  });
});

describe('sampleHost CPU over the interval since the previous check (cpu_over: interval)', () => {
  const rest = procfsReader(procRoot('idle'));
  const now = 1_000_000;
  const clock = (): HostSampleDeps['clock'] & { waits: number[] } => ({ ...instantClock(), nowMs: () => now });
  const stat = (user: number, idle: number, btime = 1761035700): string => `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${user} 0 0 ${idle} 0 0 0 0 0 0\nbtime ${btime}\n`;
  const ticks = (busy: number, total: number, btime: number | null = 1761035700) => ({ busy, total, btime });

  it('uses the previous reading: busy share since then, no wait, and keeps this reading for the next check', async () => {
    const c = clock();
    // previous: busy 1000 of 5000; now: busy 1000 + 3000 of 5000 + 4000 → 75 %
    const s = await sampleHost({ ...opts, previous: Promise.resolve({ ticks: ticks(1000, 5000), atMs: now - 300_000 }) }, deps(statSequence([stat(4000, 5000)], rest), { clock: c }));
    expect(s.errors).toEqual([]);
    expect(s.cpu).toBeCloseTo(75, 10);
    expect(s.cpuTicks).toEqual(ticks(4000, 9000));
    expect(s.cpuSpanMs).toBe(300_000);
    expect(c.waits).toEqual([]);
  });

  it.each([
    ['none', null],
    ['another boot', { ticks: ticks(1000, 5000, 1761000000), atMs: now - 300_000 }],
    ['counters that went backwards', { ticks: ticks(1000, 50_000), atMs: now - 300_000 }],
  ])('falls back to a sample over cpu_sample when the previous reading is %s', async (_name, previous) => {
    const c = clock();
    const s = await sampleHost({ ...opts, previous: Promise.resolve(previous) }, deps(statSequence([stat(4000, 5000), stat(4500, 5500)], rest), { clock: c }));
    expect(s.cpu).toBeCloseTo(50, 10);
    expect(s.cpuTicks).toEqual(ticks(4500, 10_000));
    expect(s.cpuSpanMs).toBe(1000);
    expect(c.waits).toEqual([1000]);
  });
});

describe('sampleHost error lines name the file and the cause', () => {
  it.each([
    ['stat without a cpu line', 'stat', 'intr 1\nctxt 2\n', (r: string) => `cpu: ${join(r, 'stat')} has no "cpu " line`],
    ['meminfo without MemTotal', 'meminfo', 'MemFree: 10 kB\n', (r: string) => `mem: ${join(r, 'meminfo')} has no MemTotal`],
  ])('%s', async (_name, file, text, expected) => {
    const root = tempProc('idle');
    writeFileSync(join(root, file), text);
    const s = await sampleHost(opts, deps(procfsReader(root)));
    expect(s.errors).toEqual([expected(root)]);
  });

  it('a disk path that does not exist', async () => {
    const s = await sampleHost({ ...opts, diskPath: '/nope-anomaly-guard' }, deps(procfsReader(procRoot('idle')), { statfs: nodeStatfs }));
    expect(s.disk).toBeNull();
    expect(s.mem).toBeCloseTo(30, 10);
    expect(s.errors).toEqual(['disk: statfs /nope-anomaly-guard failed: no such file or directory']);
  });
});

describe('sampleHost memory in a cgroup v2 container', () => {
  const procfs = procfsReader(procRoot('idle'));
  const run = (cgroup: string) => sampleHost({ ...opts, cgroupRoot: cgroup }, deps(procfs));

  it.each([
    // 483183820 / 536870912 = 90.0 % of the limit, not the host's 30 %
    ['limited: the share of memory.max', cgroupRoot('limited'), 90],
    ['unlimited ("max"): the host view', cgroupRoot('unlimited'), 30],
    ['no memory.max (cgroup v1 or a wrong folder): the host view', procRoot('missing'), 30],
  ])('%s', async (_name, cgroup, mem) => {
    const s = await run(cgroup);
    expect(s.errors).toEqual([]);
    expect(s.mem).toBeCloseTo(mem, 6);
  });

  it('a limit without memory.current is an error, not the host view', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anomaly-guard-cgroup-'));
    temps.push(dir);
    writeFileSync(join(dir, 'memory.max'), '536870912\n');
    const s = await run(dir);
    expect(s.mem).toBeNull();
    expect(s.errors).toEqual([`mem: cannot read ${join(dir, 'memory.current')}: no such file or directory`]);
  });
});

describe.runIf(process.platform === 'linux')('sampleHost on this machine', () => {
  it('reads the real /proc and / within [0, 100]', async () => {
    const real = { procfs: procfsReader('/proc'), statfs: nodeStatfs, clock: systemClock() };
    const s = await sampleHost({ cpuSampleMs: 100, diskPath: '/' }, real);
    expect(s.errors).toEqual([]);
    for (const v of [s.cpu, s.mem, s.disk]) {
      expect(v).not.toBeNull();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(100);
    }
  });
});

describe('sampleHost with readings shared between targets', () => {
  it('parses a new reading anew: a changed /proc/meminfo or /proc/stat text is never answered from the last one', async () => {
    const meminfo = (availableKb: number): string => `MemTotal: 1000000 kB\nMemFree: 100 kB\nMemAvailable: ${availableKb} kB\n`;
    let mem = meminfo(250000);
    const stats = [cpuLine(100, 0, 100, 800, 0, 0, 0, 0), cpuLine(200, 0, 100, 900, 0, 0, 0, 0), cpuLine(200, 0, 100, 900, 0, 0, 0, 0), cpuLine(200, 0, 100, 1900, 0, 0, 0, 0)];
    let i = 0;
    const procfs: ProcfsReader = { read: async (rel) => (rel === 'meminfo' ? mem : (stats[i++] ?? '')), pathOf: (rel) => rel };
    const first = await sampleHost(opts, deps(procfs));
    mem = meminfo(900000);
    const second = await sampleHost(opts, deps(procfs));
    expect(first.mem).toBeCloseTo(75, 5);
    expect(second.mem).toBeCloseTo(10, 5);
    expect(first.cpu).toBeCloseTo(50, 5); // busy 100 of 200
    expect(second.cpu).toBeCloseTo(0, 5); // busy 0 of 1000
    expect(second.cpuTicks).not.toEqual(first.cpuTicks);
  });
});

describe('sampleHost with the reads of one moment shared (effects/shared-reads.ts)', () => {
  it('many targets in one moment: one read and one figure of each file for all, a failed read an error for each', async () => {
    let now = 0;
    const reads: string[] = [];
    const meminfo = 'MemTotal: 1000000 kB\nMemFree: 100 kB\nMemAvailable: 250000 kB\n';
    const procfs: ProcfsReader = {
      read: async (rel) => {
        reads.push(rel);
        if (rel === 'meminfo') return meminfo;
        if (rel === 'stat') return cpuLine(100, 0, 100, 800, 0, 0, 0, 0);
        throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      },
      pathOf: (rel) => `/proc/${rel}`,
    };
    let statfsCalls = 0;
    const failingStatfs: Statfs = async () => {
      statfsCalls += 1;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    };
    const shared = sharedReads({ monoMs: () => now }, failingStatfs, 100);
    const d = { procfs: shared.procfs(procfs), statfs: shared.statfs, clock: { ...instantClock(), nowMs: () => 10_000 } };
    const previous = Promise.resolve({ ticks: { busy: 100, total: 500, btime: null }, atMs: 0 });
    const samples = await Promise.all(Array.from({ length: 50 }, () => sampleHost({ ...opts, previous }, d)));
    expect(reads).toEqual(['stat', 'meminfo']);
    expect(statfsCalls).toBe(1);
    for (const s of samples) {
      expect(s.mem).toBeCloseTo(75, 5);
      expect(s.disk).toBeNull();
      expect(s.errors).toEqual(['disk: statfs /data failed: no such file']);
    }
    // The next moment reads again.
    now = 200;
    await sampleHost({ ...opts, previous }, d);
    expect(reads).toEqual(['stat', 'meminfo', 'stat', 'meminfo']);
    expect(statfsCalls).toBe(2);
  });
});
