// Samples CPU, memory and disk use the way psutil does; a failing reading degrades only its own metric.
import { join } from 'node:path';
import {
  cpuBusyPercent,
  diskUsedPercent,
  memUsedPercent,
  parseCgroupLimit,
  parseCgroupMemory,
  parseMeminfo,
  parseProcStat,
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
}

/** Unrounded percentages (null when that reading failed) and one line per failure. */
export interface HostSample {
  cpu: number | null;
  mem: number | null;
  disk: number | null;
  errors: string[];
}

/** The effects the sampler uses; `readFile` reads cgroup files (default: the real file system). */
export interface HostSampleDeps {
  procfs: ProcfsReader;
  statfs: Statfs;
  clock: Pick<Clock, 'sleep'> & Partial<Pick<Clock, 'monoMs'>>;
  readFile?: (p: string) => Promise<string>;
}

interface Reading<T> {
  value: T | null;
  error: string | null;
}

/** One sample: stat, then mem and disk in parallel while it waits `cpuSampleMs`, then stat again. Rejects only on abort. */
export async function sampleHost(opts: HostSampleOptions, deps: HostSampleDeps): Promise<HostSample> {
  const early = opts.firstStat;
  const statPath = deps.procfs.pathOf?.('stat') ?? 'stat';
  const first = await settle('cpu', early ? readParsed(() => early.text, statPath, parseProcStat) : readProc(deps.procfs, 'stat', parseProcStat));
  const mem = settle('mem', sampleMem(opts, deps));
  const disk = settle('disk', sampleDisk(opts.diskPath, deps.statfs));
  let cpu: Reading<number> = { value: null, error: first.error };
  if (first.value !== null) {
    const elapsed = early && deps.clock.monoMs ? deps.clock.monoMs() - early.atMs : 0;
    await deps.clock.sleep(Math.max(0, opts.cpuSampleMs - elapsed), opts.signal);
    const prev = first.value;
    cpu = await settle('cpu', readProc(deps.procfs, 'stat', (t) => cpuBusyPercent(prev, parseProcStat(t))));
  }
  const [memR, diskR] = [await mem, await disk];
  const errors = [cpu, memR, diskR].flatMap((r) => (r.error === null ? [] : [r.error]));
  return { cpu: cpu.value, mem: memR.value, disk: diskR.value, errors };
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
  return memUsedPercent(await readProc(deps.procfs, 'meminfo', parseMeminfo));
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

async function sampleDisk(path: string, statfs: Statfs): Promise<number> {
  try {
    return diskUsedPercent(await statfs(path));
  } catch (err) {
    throw new Error(`statfs ${path} failed: ${describeFsError(err)}`);
  }
}
