// Pure parsers and formulas for host resources, psutil-compatible: /proc/stat, /proc/meminfo, statfs, cgroup v2.

/** Jiffies per CPU state from the aggregate `cpu ` line of /proc/stat. */
export interface CpuTimes {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  steal: number;
  guest: number;
  guestNice: number;
}

/** Memory figures from /proc/meminfo, in kB. */
export interface Meminfo {
  totalKb: number;
  availableKb: number;
}

/** A statfs reading: block size and block counts. */
export interface StatfsBlocks {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/** Text that does not have the expected shape; the message completes "<file> …", e.g. "has no MemTotal". */
export class ProcfsParseError extends Error {
  override readonly name = 'ProcfsParseError';
  readonly code = 'PROCFS_PARSE';
}

const CPU_FIELDS = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal', 'guest', 'guestNice'] as const;

/** Parses the aggregate `cpu ` line of /proc/stat; fields an old kernel lacks count as 0. */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new ProcfsParseError('has no "cpu " line');
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  // user, nice, system, idle exist on every kernel; later fields came with 2.6.x.
  if (values.length < 4 || values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new ProcfsParseError(`has a malformed "cpu " line: ${JSON.stringify(line)}`);
  }
  const times = {} as CpuTimes;
  CPU_FIELDS.forEach((field, i) => {
    times[field] = values[i] ?? 0;
  });
  return times;
}

// guest and guest_nice are already inside user and nice, so psutil leaves them out of the total.
function totalTime(t: CpuTimes): number {
  return t.user + t.nice + t.system + t.idle + t.iowait + t.irq + t.softirq + t.steal;
}

/** Busy share of all CPUs between two readings, as psutil.cpu_percent: 100·Δbusy/Δtotal, in [0, 100]. */
export function cpuBusyPercent(prev: CpuTimes, next: CpuTimes): number {
  const delta = {} as CpuTimes;
  // A counter that goes backwards (a CPU going offline, a hypervisor glitch) counts as 0, as in psutil and top.
  for (const field of CPU_FIELDS) delta[field] = Math.max(0, next[field] - prev[field]);
  const total = totalTime(delta);
  if (total === 0) return 0;
  const busy = total - delta.idle - delta.iowait;
  return clampPercent((100 * busy) / total);
}

/** A /proc/stat reading kept in the log so the next check can measure CPU over the span between them:
 * busy and total jiffies (psutil's definitions) and the boot time, which tells whether the counters are comparable. */
export interface CpuTicks {
  busy: number;
  total: number;
  btime: number | null;
}

/** The busy and total jiffies of a reading, and the `btime` line of /proc/stat (null when absent). */
export function cpuTicks(t: CpuTimes, statText: string): CpuTicks {
  const total = totalTime(t);
  const btime = /^btime\s+(\d+)\s*$/m.exec(statText)?.[1];
  return { busy: total - t.idle - t.iowait, total, btime: btime === undefined ? null : Number(btime) };
}

/** Busy share between two stored readings; null when they are not comparable (another boot, counters that went
 * backwards, no time between them). */
export function cpuBusyBetween(prev: CpuTicks, next: CpuTicks): number | null {
  if (prev.btime !== null && next.btime !== null && prev.btime !== next.btime) return null;
  const total = next.total - prev.total;
  const busy = next.busy - prev.busy;
  if (!(total > 0) || busy < 0 || busy > total) return null;
  return clampPercent((100 * busy) / total);
}

/** Parses /proc/meminfo into total and available kB; without MemAvailable (kernels before 3.14) it estimates. */
export function parseMeminfo(text: string): Meminfo {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)/.exec(line);
    if (m?.[1] !== undefined && m[2] !== undefined) fields.set(m[1], Number(m[2]));
  }
  const totalKb = fields.get('MemTotal');
  if (totalKb === undefined) throw new ProcfsParseError('has no MemTotal');
  const availableKb = fields.get('MemAvailable') ?? fallbackAvailable(fields);
  if (availableKb === undefined) throw new ProcfsParseError('has neither MemAvailable nor MemFree');
  return { totalKb, availableKb };
}

// psutil estimates from /proc/zoneinfo watermarks; free + buffers + cached is the classic `free` figure, close enough.
function fallbackAvailable(fields: Map<string, number>): number | undefined {
  const free = fields.get('MemFree');
  if (free === undefined) return undefined;
  return free + (fields.get('Buffers') ?? 0) + (fields.get('Cached') ?? 0);
}

/** Used memory share, as psutil.virtual_memory().percent: (total − available) / total · 100. */
export function memUsedPercent(m: Meminfo): number {
  if (m.totalKb <= 0) return 0;
  return clampPercent((100 * (m.totalKb - m.availableKb)) / m.totalKb);
}

/** Used disk share, as psutil.disk_usage().percent: used / (used + available to non-root) · 100. */
export function diskUsedPercent(s: StatfsBlocks): number {
  const used = (s.blocks - s.bfree) * s.bsize;
  const avail = s.bavail * s.bsize;
  if (used + avail <= 0) return 0;
  return clampPercent((100 * used) / (used + avail));
}

/** The cgroup v2 memory limit in bytes from memory.max; null when it says "max" (no limit). */
export function parseCgroupLimit(maxText: string): number | null {
  const text = maxText.trim();
  if (text === 'max') return null;
  return parseBytes(text);
}

/** Used share of the cgroup v2 memory limit (memory.current / memory.max · 100); null when there is no limit. */
export function parseCgroupMemory(maxText: string, currentText: string): number | null {
  const limit = parseCgroupLimit(maxText);
  if (limit === null) return null;
  const current = parseBytes(currentText.trim());
  // A zero limit leaves nothing to allocate: the group is full.
  if (limit === 0) return 100;
  return clampPercent((100 * current) / limit);
}

function parseBytes(text: string): number {
  if (!/^\d+$/.test(text)) throw new ProcfsParseError(`is not a byte count: ${JSON.stringify(text)}`);
  return Number(text);
}

function clampPercent(v: number): number {
  return Math.min(100, Math.max(0, v));
}

/** `usage_usec` of a cgroup v2 `cpu.stat`: the CPU time its processes used, in microseconds. */
export function parseCgroupCpuUsage(text: string): number {
  const m = /^usage_usec\s+(\d+)\s*$/m.exec(text);
  if (m?.[1] === undefined) throw new ProcfsParseError('has no usage_usec line');
  return Number(m[1]);
}

/** The CPUs a cgroup v2 `cpu.max` lets it use ("200000 100000" → 2); null when unlimited ("max …"). */
export function parseCpuMax(text: string): number | null {
  const [quota, period] = text.trim().split(/\s+/);
  if (quota === 'max') return null;
  const q = Number(quota);
  const p = Number(period ?? 100000);
  if (!(q > 0) || !(p > 0)) throw new ProcfsParseError(`is not "<quota> <period>" or "max": ${JSON.stringify(text.trim())}`);
  return q / p;
}

/** `inactive_file` of a cgroup v2 `memory.stat` in bytes (page cache the kernel reclaims first); 0 when absent. */
export function parseInactiveFile(text: string): number {
  const m = /^inactive_file\s+(\d+)\s*$/m.exec(text);
  return m?.[1] === undefined ? 0 : Number(m[1]);
}

/** The fields of `/proc/<pid>/stat` the service figures need: parent pid and user + system CPU in clock ticks. */
export function parsePidStat(text: string): { ppid: number; cpuTicks: number } {
  // The command name (field 2) is in parentheses and may hold spaces or ")": fields resume after the last ")".
  const rest = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  const [ppid, utime, stime] = [Number(rest[1]), Number(rest[11]), Number(rest[12])];
  if (![ppid, utime, stime].every(Number.isFinite)) throw new ProcfsParseError('is not a /proc/<pid>/stat line');
  return { ppid, cpuTicks: utime + stime };
}

/** `VmRSS` of `/proc/<pid>/status` in kB (0 for a kernel thread or a zombie, which have none). */
export function parseVmRssKb(text: string): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return m?.[1] === undefined ? 0 : Number(m[1]);
}

/** How many CPUs `/proc/stat` lists (its `cpuN` lines). */
export function countCpus(statText: string): number {
  return (statText.match(/^cpu\d+\s/gm) ?? []).length || 1;
}
