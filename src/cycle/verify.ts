// The verification after a heal: did it do what it was for? An unhealthy trigger is recovered when the probe
// passes; a latency trigger when the latency is back within the baseline it was judged against (the
// pre-incident one); a cpu or mem trigger when the figure is back under its threshold.
import type { GuardConfig } from '../config/config.js';
import { kindOfReason, resourceReason, unhealthyReason } from '../core/kinds.js';
import { formatTs, roundMs, roundOrNull, roundPct } from '../core/format.js';
import { judgeLatency } from '../core/latency-judge.js';
import type { AnomalyTriggerRecord, HealVerifyRecord } from '../log/records.js';
import { sampleHost } from '../probes/host.js';
import { sampleService } from '../probes/service.js';
import type { CycleDeps } from './deps.js';
import { probeOnce } from './measure.js';

/** What to verify: the trigger, the baseline it was judged against, and how long the probe may take. */
export interface VerifyRequest {
  trigger: AnomalyTriggerRecord;
  baseline: readonly number[];
  probeTimeoutMs: number;
}

/** Waits heal.verify_after, re-probes (and re-samples cpu / mem when they triggered) and judges the trigger's findings. */
export async function verifyHeal(config: GuardConfig, deps: CycleDeps, v: VerifyRequest, signal: AbortSignal): Promise<HealVerifyRecord> {
  await deps.clock.sleep(config.heal.verifyAfterMs, signal);
  const kinds = new Set(v.trigger.reasons.map(kindOfReason));
  const r = config.resources;
  const cpuSampleMs = Math.min(r.cpuSampleMs, v.probeTimeoutMs);
  // The figures the trigger judged: the service's own (resources.service), else the host's.
  const resample = async (): Promise<{ cpu: number | null; mem: number | null }> => {
    if (r.service !== null) return sampleService(r.service, { cpuSampleMs, previous: null, signal }, { readFile: deps.readFile, procRoot: r.procfs, clock: deps.clock });
    return sampleHost({ cpuSampleMs, diskPath: r.diskPath, cgroupRoot: r.cgroup, signal }, { procfs: deps.procfs, statfs: deps.statfs, clock: deps.clock, readFile: deps.readFile });
  };
  const host = kinds.has('cpu') || kinds.has('mem') ? resample() : null;
  const [probe, sample] = await Promise.all([probeOnce(config, deps, signal, v.probeTimeoutMs, true), host]);
  const remaining: string[] = [];
  let score: number | null | undefined;
  if (!probe.ok) remaining.push(unhealthyReason(probe.detail));
  else if (kinds.has('latency')) {
    const judged = judgeLatency(config.latency, v.baseline, probe.latencyMs);
    score = judged.score;
    if (judged.anomaly !== null) remaining.push(judged.anomaly);
  }
  const cpu = roundOrNull(sample?.cpu ?? null, roundPct);
  const mem = roundOrNull(sample?.mem ?? null, roundPct);
  const owner = r.service?.name ?? null;
  if (kinds.has('cpu') && cpu !== null && cpu > r.cpuCritical) remaining.push(resourceReason('cpu', cpu, owner));
  if (kinds.has('mem') && mem !== null && mem > r.memCritical) remaining.push(resourceReason('mem', mem, owner));
  return {
    event: 'heal_verify',
    ts: formatTs(deps.clock.nowMs()),
    recovered: remaining.length === 0,
    latency_ms: roundMs(probe.latencyMs),
    ...(probe.ok ? {} : { error: probe.detail }),
    ...(score !== undefined ? { score } : {}),
    ...(sample ? { cpu, mem } : {}),
    ...(remaining.length > 0 ? { remaining } : {}),
  };
}
