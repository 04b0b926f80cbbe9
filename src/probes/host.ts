// Samples CPU, memory and disk use the way psutil does; a failing reading degrades only its own metric.
import { join } from 'node:path';
import {
  cpuBusyBetween,
  cpuBusyPercent,
  cpuTicks,
  diskUsedPercent,
  memUsedPercent,
  parseCgroupLimit,
  parseCgroupMemory,
  parseMeminfo,
  parseProcStat,
  type CpuTicks,
  type CpuTimes,
} from '../core/procfs-parse.js';
import type { Clock } from '../effects/clock.js';
import { describeFsError, readTextFile, type ProcfsReader } from '../effects/procfs.js';
import type { Statfs } from '../effects/statfs.js';

/** What to sample: the CPU span, the disk path, an optional cgroup v2 folder, and the cycle's signal. */
export interface HostSampleOptions {
  cpuSampleMs: number;
  diskPath: string;
  cgroupRoot?: string | null;
  signal?: AbortSignal;
  /** A first reading of `stat` already taken (a one-shot check takes it before loading its config), with the
   * monotonic time it was started: the sample then only waits for the rest of cpuSampleMs. */
  firstStat?: { text: Promise<string>; atMs: number };
  /** The previous check's reading and its wall time (profile safe, cpu_over: interval), settled by the cycle once it
   * has read the log; null (or a reading that is not comparable) falls back to a sample over cpuSampleMs. */
  previous?: Promise<{ ticks: CpuTicks; atMs: number } | null>;
}

/** Unrounded percentages (null when that reading failed) and one line per failure. */
export interface HostSample {
  cpu: number | null;
  mem: number | null;
  disk: number | null;
  /** The /proc/stat reading this sample ends with (kept in the check record for the next check). */
  cpuTicks: CpuTicks | null;
  /** The span the cpu figure covers, in ms. */
  cpuSpanMs: number | null;
  errors: string[];
}

/** The effects the sampler uses; `readFile` reads cgroup files (default: the real file system). */
export interface HostSampleDeps {
  procfs: ProcfsReader;
  statfs: Statfs;
  clock: Pick<Clock, 'sleep'> & Partial<Pick<Clock, 'monoMs' | 'nowMs'>>;
  readFile?: (p: string) => Promise<string>;
}

interface Reading<T> {
  value: T | null;
  error: string | null;
}

type StatReading = { times: CpuTimes; ticks: CpuTicks };
type CpuFigure = { cpu: number; ticks: CpuTicks; spanMs: number | null };

// The last text each parser read and what it made of it: a daemon's targets share one reading of /proc/stat and
// /proc/meminfo per moment (effects/shared-reads.ts), so 10,000 targets parse it once, not 10,000 times. Parsed
// readings are never changed by their users.
function lastParsed<T>(parse: (text: string) => T): (text: string) => T {
  let lastText: string | null = null;
  let last: T;
  return (text) => {
    if (text !== lastText) {
      last = parse(text);
      lastText = text;
    }
    return last;
  };
}

const parseStat = lastParsed((text: string): StatReading => {
  const times = parseProcStat(text);
  return { times, ticks: cpuTicks(times, text) };
});

const memFromMeminfo = lastParsed((text: string): number => memUsedPercent(parseMeminfo(text)));

/** One sample: stat, then mem and disk in parallel while the CPU figure is taken (over the span since the previous
 * check's reading when it is given and comparable, else over `cpuSampleMs` with a second reading). Rejects only on abort. */
export async function sampleHost(opts: HostSampleOptions, deps: HostSampleDeps): Promise<HostSample> {
  const early = opts.firstStat;
  const statPath = deps.procfs.pathOf?.('stat') ?? 'stat';
  const first = await (early ? settle('cpu', readParsed(() => early.text, statPath, parseStat)) : sharedReading(STAT_READINGS, startRead(() => deps.procfs.read('stat')), (text) => settle('cpu', readParsed(() => text, statPath, parseStat))));
  const mem = opts.cgroupRoot ? settle('mem', sampleMem(opts, deps)) : sharedReading(MEM_READINGS, startRead(() => deps.procfs.read('meminfo')), (text) => settle('mem', readParsed(() => text, deps.procfs.pathOf?.('meminfo') ?? 'meminfo', memFromMeminfo)));
  const disk = sharedReading(DISK_READINGS, startRead(() => deps.statfs(opts.diskPath)), (st) => settle('disk', diskFigure(opts.diskPath, st)));
  const cpu: Reading<CpuFigure> = first.value === null ? { value: null, error: first.error } : await cpuFigure(first.value, opts, deps);
  const [memR, diskR] = [await mem, await disk];
  const errors = [cpu, memR, diskR].flatMap((r) => (r.error === null ? [] : [r.error]));
  const c = cpu.value;
  return { cpu: c?.cpu ?? null, mem: memR.value, disk: diskR.value, cpuTicks: c?.ticks ?? null, cpuSpanMs: c?.spanMs ?? null, errors };
}

// Over the span since the previous reading when it is comparable (no wait), else over cpuSampleMs.
async function cpuFigure(first: StatReading, opts: HostSampleOptions, deps: HostSampleDeps): Promise<Reading<CpuFigure>> {
  const previous = opts.previous ? await opts.previous : null;
  const since = previous === null ? null : cpuBusyBetween(previous.ticks, first.ticks);
  if (previous !== null && since !== null) {
    const spanMs = deps.clock.nowMs ? Math.max(0, deps.clock.nowMs() - previous.atMs) : null;
    return { value: { cpu: since, ticks: first.ticks, spanMs }, error: null };
  }
  const early = opts.firstStat;
  const elapsed = early && deps.clock.monoMs ? deps.clock.monoMs() - early.atMs : 0;
  await deps.clock.sleep(Math.max(0, opts.cpuSampleMs - elapsed), opts.signal);
  return settle('cpu', readProc(deps.procfs, 'stat', (text) => {
    const times = parseProcStat(text);
    return { cpu: cpuBusyPercent(first.times, times), ticks: cpuTicks(times, text), spanMs: opts.cpuSampleMs };
  }));
}

// A reading made of a read that many targets share (effects/shared-reads.ts hands them the same promise for a moment)
// is made once and shared too, keyed by that promise: 10,000 targets then settle one memory and one disk figure a
// moment, not 10,000 (a reading is never changed by its users). A read of one's own is a promise of its own.
const STAT_READINGS = new WeakMap<Promise<string>, Promise<Reading<StatReading>>>();
const MEM_READINGS = new WeakMap<Promise<string>, Promise<Reading<number>>>();
const DISK_READINGS = new WeakMap<ReturnType<Statfs>, Promise<Reading<number>>>();

function sharedReading<K extends object, T>(cache: WeakMap<K, Promise<Reading<T>>>, read: K, make: (read: K) => Promise<Reading<T>>): Promise<Reading<T>> {
  let reading = cache.get(read);
  if (reading === undefined) {
    reading = make(read);
    cache.set(read, reading);
  }
  return reading;
}

// A read started now; one that throws at once is a rejected promise like any other failure.
function startRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return read();
  } catch (err) {
    return Promise.reject(err);
  }
}

// Never rejects, so the parallel readings cannot leak an unhandled rejection when the sleep is aborted.
async function settle<T>(metric: string, work: Promise<T>): Promise<Reading<T>> {
  try {
    return { value: await work, error: null };
  } catch (err) {
    return { value: null, error: `${metric}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

async function readParsed<T>(read: () => Promise<string>, path: string, parse: (text: string) => T): Promise<T> {
  let text: string;
  try {
    text = await read();
  } catch (err) {
    throw new Error(`cannot read ${path}: ${describeFsError(err)}`);
  }
  return parseAt(parse, text, path);
}

// Parse failures name the file: "/proc/meminfo has no MemTotal".
function parseAt<T>(parse: (text: string) => T, text: string, path: string): T {
  try {
    return parse(text);
  } catch (err) {
    throw new Error(`${path} ${err instanceof Error ? err.message : String(err)}`);
  }
}

function readProc<T>(procfs: ProcfsReader, rel: string, parse: (text: string) => T): Promise<T> {
  return readParsed(() => procfs.read(rel), procfs.pathOf?.(rel) ?? rel, parse);
}

async function sampleMem(opts: HostSampleOptions, deps: HostSampleDeps): Promise<number> {
  if (opts.cgroupRoot) {
    const inCgroup = await cgroupMemPercent(opts.cgroupRoot, deps.readFile ?? readTextFile);
    if (inCgroup !== null) return inCgroup;
  }
  return readProc(deps.procfs, 'meminfo', memFromMeminfo);
}

// In a container /proc/meminfo shows the host's memory, but the OOM killer enforces the cgroup's limit, so when
// there is one its figures are what matter (cgroup v2: memory.current / memory.max). No memory.max file (cgroup v1,
// the root cgroup, a wrong folder) or "max" (no limit): the host view from meminfo, as psutil reports.
async function cgroupMemPercent(root: string, read: (p: string) => Promise<string>): Promise<number | null> {
  const maxPath = join(root, 'memory.max');
  let maxText: string;
  try {
    maxText = await read(maxPath);
  } catch {
    return null;
  }
  if (parseAt(parseCgroupLimit, maxText, maxPath) === null) return null;
  const currentPath = join(root, 'memory.current');
  return readParsed(() => read(currentPath), currentPath, (text) => parseCgroupMemory(maxText, text));
}

async function diskFigure(path: string, st: ReturnType<Statfs>): Promise<number> {
  try {
    return diskUsedPercent(await st);
  } catch (err) {
    throw new Error(`statfs ${path} failed: ${describeFsError(err)}`);
  }
}
