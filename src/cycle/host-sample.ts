// Starting a cycle's host sample on its own (a small module: a one-shot check starts the sample before
// it loads the probe, the heal runner and the rest).
import type { GuardConfig } from '../config/config.js';
import { sampleHost, type HostSample } from '../probes/host.js';
import type { CycleDeps } from './deps.js';

/** Starts the host sample: CPU over cpu_sample, memory and disk. */
export function startHostSample(
  config: GuardConfig,
  deps: Pick<CycleDeps, 'procfs' | 'statfs' | 'clock' | 'readFile'>,
  signal: AbortSignal,
  firstStat?: { text: Promise<string>; atMs: number },
): Promise<HostSample> {
  const r = config.resources;
  return sampleHost(
    { cpuSampleMs: r.cpuSampleMs, diskPath: r.diskPath, cgroupRoot: r.cgroup, signal, ...(firstStat ? { firstStat } : {}) },
    { procfs: deps.procfs, statfs: deps.statfs, clock: deps.clock, readFile: deps.readFile },
  );
}
