// The service's own CPU and memory (resources.service), so it is restarted for its own use, not a
// neighbour's: a systemd unit's or a cgroup v2 folder's cpu.stat and memory, or the process tree of a pid
// file from /proc. CPU is the busy share of the CPUs it may use, over the span since the previous check's
// reading (kept in its record) or over cpu_sample, like the host's.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceTarget } from '../config/config.js';
import { countCpus, parseCgroupCpuUsage, parseCgroupLimit, parseCpuMax, parseInactiveFile, parseMeminfo, parsePidStat, parseVmRssKb } from '../core/procfs-parse.js';
import type { Clock } from '../effects/clock.js';
import { describeFsError } from '../effects/procfs.js';

/** One reading: cumulative CPU time (µs), the CPUs it may use, its memory share, and whose it is (pid or cgroup). */
export interface ServiceReading {
  usageUs: number;
  cpus: number;
  mem: number | null;
  /** What the usage counts: a cgroup path or `pid <n>`; a change means the counter started over. */
  source: string;
}

/** What the cycle logs: percentages (null when unknown), the reading for the next check, and problems. */
export interface ServiceSample {
  name: string;
  cpu: number | null;
  mem: number | null;
  reading: ServiceReading | null;
  spanMs: number | null;
  errors: string[];
}

/** Where to read: the file reader, /proc, and the cgroup v2 roots a unit's folder is looked for under. */
export interface ServiceDeps {
  readFile(path: string): Promise<string>;
  listDir?(path: string): Promise<string[]>;
  procRoot: string;
  cgroupRoots?: string[];
  clock: Pick<Clock, 'sleep' | 'nowMs'>;
}

const DEFAULT_CGROUP_ROOTS = ['/sys/fs/cgroup', '/sys/fs/cgroup/unified'];
const USEC_PER_TICK = 10_000; // USER_HZ is 100 on Linux

/** Samples the service: CPU since `previous` when it counts the same thing, else over `cpuSampleMs`. */
export async function sampleService(
  target: ServiceTarget,
  opts: { cpuSampleMs: number; previous: { reading: ServiceReading; atMs: number } | null; signal?: AbortSignal },
  deps: ServiceDeps,
): Promise<ServiceSample> {
  const first = await settle(readService(target, deps));
  if (first.value === null) return { name: target.name, cpu: null, mem: null, reading: null, spanMs: null, errors: [first.error ?? 'unknown'] };
  const prev = opts.previous;
  if (prev !== null && prev.reading.source === first.value.source && first.value.usageUs >= prev.reading.usageUs) {
    const spanMs = deps.clock.nowMs() - prev.atMs;
    if (spanMs > 0) return done(target, first.value, busyShare(prev.reading, first.value, spanMs), spanMs);
  }
  const startedMs = deps.clock.nowMs();
  await deps.clock.sleep(opts.cpuSampleMs, opts.signal);
  const second = await settle(readService(target, deps));
  if (second.value === null || second.value.source !== first.value.source) {
    return { name: target.name, cpu: null, mem: first.value.mem, reading: second.value, spanMs: null, errors: [second.error ?? `${target.name} restarted during the sample`] };
  }
  const spanMs = Math.max(1, deps.clock.nowMs() - startedMs);
  return done(target, second.value, busyShare(first.value, second.value, spanMs), spanMs);
}

function done(target: ServiceTarget, reading: ServiceReading, cpu: number, spanMs: number): ServiceSample {
  return { name: target.name, cpu, mem: reading.mem, reading, spanMs, errors: [] };
}

// The share of the CPUs it may use that it used between two readings, in [0, 100].
function busyShare(a: ServiceReading, b: ServiceReading, spanMs: number): number {
  const used = Math.max(0, b.usageUs - a.usageUs);
  return Math.min(100, (100 * used) / (spanMs * 1000 * b.cpus));
}

async function settle<T>(work: Promise<T>): Promise<{ value: T | null; error: string | null }> {
  try {
    return { value: await work, error: null };
  } catch (err) {
    return { value: null, error: `service: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** One reading of the service's counters. */
export async function readService(target: ServiceTarget, deps: ServiceDeps): Promise<ServiceReading> {
  if (target.kind === 'pid_file') return readPidTree(target.path, deps);
  const folder = target.kind === 'cgroup' ? target.path : await findUnitCgroup(target.path, deps);
  return readCgroup(folder, deps);
}

async function read(deps: ServiceDeps, path: string): Promise<string> {
  try {
    return await deps.readFile(path);
  } catch (err) {
    throw new Error(`cannot read ${path}: ${describeFsError(err)}`);
  }
}

async function hostCpus(deps: ServiceDeps): Promise<number> {
  return countCpus(await read(deps, join(deps.procRoot, 'stat')));
}

async function memTotalBytes(deps: ServiceDeps): Promise<number> {
  return parseMeminfo(await read(deps, join(deps.procRoot, 'meminfo'))).totalKb * 1024;
}

// A cgroup v2 folder: cpu.stat usage, cpu.max (else the host's CPUs), and the working set (memory.current less
// inactive_file, as cAdvisor and kubectl top count it) over memory.max, or the host's memory when unlimited.
async function readCgroup(folder: string, deps: ServiceDeps): Promise<ServiceReading> {
  const usageUs = parseCgroupCpuUsage(await read(deps, join(folder, 'cpu.stat')));
  const limitCpus = await deps.readFile(join(folder, 'cpu.max')).then(parseCpuMax, () => null);
  const cpus = limitCpus ?? (await hostCpus(deps));
  const current = await deps.readFile(join(folder, 'memory.current')).then((t) => Number(t.trim()), () => null);
  let mem: number | null = null;
  if (current !== null && Number.isFinite(current)) {
    const inactive = await deps.readFile(join(folder, 'memory.stat')).then(parseInactiveFile, () => 0);
    const limit = await deps.readFile(join(folder, 'memory.max')).then(parseCgroupLimit, () => null);
    const of = limit ?? (await memTotalBytes(deps));
    mem = of > 0 ? Math.min(100, (100 * Math.max(0, current - inactive)) / of) : 100;
  }
  return { usageUs, cpus, mem, source: folder };
}

// A unit's cgroup: <root>/system.slice/<unit>, else <root>/<any>.slice/<unit>, on the first cgroup v2 root that has it.
async function findUnitCgroup(unit: string, deps: ServiceDeps): Promise<string> {
  const list = deps.listDir ?? ((p: string) => readdir(p));
  for (const root of deps.cgroupRoots ?? DEFAULT_CGROUP_ROOTS) {
    const slices = await list(root).then((names) => names.filter((n) => n.endsWith('.slice')), () => [] as string[]);
    for (const slice of ['system.slice', ...slices.filter((s) => s !== 'system.slice')]) {
      const folder = join(root, slice, unit);
      if ((await list(folder).catch(() => null)) !== null) return folder;
    }
  }
  throw new Error(`no cgroup for unit ${unit} under ${(deps.cgroupRoots ?? DEFAULT_CGROUP_ROOTS).join(' or ')} (is it running?)`);
}

// The process of a pid file and its descendants: CPU time of each (utime + stime) and resident memory.
async function readPidTree(pidFile: string, deps: ServiceDeps): Promise<ServiceReading> {
  const pid = Number((await read(deps, pidFile)).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${pidFile} does not hold a process id`);
  const list = deps.listDir ?? ((p: string) => readdir(p));
  const names = await list(deps.procRoot);
  const stats = new Map<number, { ppid: number; cpuTicks: number }>();
  await Promise.all(names.filter((n) => /^\d+$/.test(n)).map(async (n) => {
    const text = await deps.readFile(join(deps.procRoot, n, 'stat')).catch(() => null); // it may have exited meanwhile
    if (text !== null) stats.set(Number(n), parsePidStat(text));
  }));
  if (!stats.has(pid)) throw new Error(`process ${pid} from ${pidFile} is not running`);
  const tree = descendants(pid, stats);
  const rssKb = await Promise.all(tree.map((p) => deps.readFile(join(deps.procRoot, String(p), 'status')).then(parseVmRssKb, () => 0)));
  const total = await memTotalBytes(deps);
  const ticks = tree.reduce((sum, p) => sum + (stats.get(p)?.cpuTicks ?? 0), 0);
  const mem = total > 0 ? Math.min(100, (100 * rssKb.reduce((a, b) => a + b, 0) * 1024) / total) : null;
  return { usageUs: ticks * USEC_PER_TICK, cpus: await hostCpus(deps), mem, source: `pid ${pid}` };
}

function descendants(root: number, stats: Map<number, { ppid: number }>): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}
