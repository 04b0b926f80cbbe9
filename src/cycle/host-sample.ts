// Starting a cycle's host sample on its own (a small module: a one-shot check starts the sample before
// it loads the probe, the heal runner and the rest).
import type { GuardConfig } from '../config/config.js';
import type { CpuTicks } from '../core/procfs-parse.js';
import type { History } from '../core/history.js';
import { sampleHost, type HostSample } from '../probes/host.js';
import { sampleService, type ServiceSample } from '../probes/service.js';
import type { CycleDeps } from './deps.js';

/** The previous check's CPU reading, as the cycle found it in the log. */
export type PreviousCpu = { ticks: CpuTicks; atMs: number } | null;

/** A host sample in flight; `tell` hands it the previous check's reading once the log is read (cpu_over: interval). */
export interface StartedHostSample {
  sample: Promise<HostSample>;
  tell(previous: PreviousCpu): void;
}

/** Starts the host sample: CPU (over the span since the previous check, or over cpu_sample), memory and disk. */
export function startHostSample(
  config: GuardConfig,
  deps: Pick<CycleDeps, 'procfs' | 'statfs' | 'clock' | 'readFile'>,
  signal: AbortSignal,
  firstStat?: { text: Promise<string>; atMs: number },
): StartedHostSample {
  const r = config.resources;
  let tell: (previous: PreviousCpu) => void = () => undefined;
  const previous = r.cpuOver === 'interval' ? new Promise<PreviousCpu>((resolve) => (tell = resolve)) : undefined;
  const sample = sampleHost(
    { cpuSampleMs: r.cpuSampleMs, diskPath: r.diskPath, cgroupRoot: r.cgroup, signal, ...(firstStat ? { firstStat } : {}), ...(previous ? { previous } : {}) },
    { procfs: deps.procfs, statfs: deps.statfs, clock: deps.clock, readFile: deps.readFile },
  );
  return { sample, tell: (p) => tell(p) };
}

/** How old the previous reading may be for CPU over the interval: two intervals, at least 15 minutes. */
export function maxCpuSpanMs(config: Pick<GuardConfig, 'intervalMs'>): number {
  return Math.max(2 * config.intervalMs, 900_000);
}

/** The previous check's reading when CPU is measured over the interval and it is neither too old nor too recent. */
export function usablePrevious(config: GuardConfig, last: PreviousCpu, nowMs: number): PreviousCpu {
  if (config.resources.cpuOver !== 'interval' || last === null) return null;
  const age = nowMs - last.atMs;
  return age >= config.resources.cpuSampleMs && age <= maxCpuSpanMs(config) ? last : null;
}

/** The service's sample (resources.service), or null without one: over the span since the previous check's reading
 * when it is usable (cpu_over: interval, the same ages as the host's), else over cpu_sample. */
export function startServiceSample(
  config: GuardConfig,
  deps: Pick<CycleDeps, 'clock' | 'readFile'>,
  last: History['lastService'],
  signal: AbortSignal,
): Promise<ServiceSample> | null {
  const target = config.resources.service;
  if (target === null) return null;
  const age = last === null ? null : deps.clock.nowMs() - last.atMs;
  const usable = config.resources.cpuOver === 'interval' && age !== null && age >= config.resources.cpuSampleMs && age <= maxCpuSpanMs(config);
  return sampleService(target, { cpuSampleMs: config.resources.cpuSampleMs, previous: usable ? last : null, signal }, { readFile: deps.readFile, procRoot: config.resources.procfs, clock: deps.clock });
}
