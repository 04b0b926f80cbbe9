// What the decision reads: the settings it applies (a loaded config satisfies this as it is) and what a
// cycle measured (the cycle's Measurement satisfies this). Declared here so core needs nothing above it.
import type { HttpPhases } from '../../effects/http-client.js';
import type { History } from '../history.js';
import type { Action, FindingKind } from '../kinds.js';
import type { LatencyJudgement } from '../latency-judge.js';
import type { CpuTicks } from '../procfs-parse.js';
import type { GatePolicy } from './gate.js';

/** The settings of the decision: the config's keys of the same names. */
export interface DecisionPolicy {
  latency: { window: number; minSamples: number; confirm: number; confirmOf: number; confirmProbes: number; learn: 'all' | 'normal'; onBusyHost: 'heal' | 'alert' };
  resources: { cpuCritical: number; memCritical: number; diskWarning: number; confirm: number; confirmOf: number; cpuOver: 'interval' | 'sample' };
  actions: Record<FindingKind, Action>;
  heal: { graceMs: number; resumeAfterMs: number };
}

/** One probe's result as the decision reads it. */
export interface MeasuredProbe {
  ok: boolean;
  latencyMs: number;
  phases?: HttpPhases;
  httpStatus: number | null;
  detail: string | null;
  /** The wait for a probe slot before the clock started (not in latencyMs); absent = none. */
  queuedMs?: number;
}

/** What a cycle measured (unrounded figures; null for a reading that failed). */
export interface Measured {
  probe: MeasuredProbe;
  /** Probes made: 1, or more when health.confirm re-probed a failure. */
  attempts: number;
  host: { cpu: number | null; mem: number | null; disk: number | null; cpuTicks: CpuTicks | null; cpuSpanMs: number | null };
  /** The service's own figures (resources.service), or null. */
  service: { name: string; cpu: number | null; mem: number | null; reading: { usageUs: number; cpus: number; source: string } | null; spanMs: number | null } | null;
  history: History;
  /** The verdict on the probe's latency; null when the probe failed. */
  latency: LatencyJudgement | null;
  /** Quick re-probes of an anomalous latency, each with whether it was anomalous too (or failed). */
  reprobes: readonly { probe: Pick<MeasuredProbe, 'ok' | 'latencyMs'>; anomalous: boolean }[];
  /** How long the guard's own event loop stalled while the probe was timed (ms); absent or 0 = none. */
  stalledMs?: number;
}

/** The gate's settings from the decision's. */
export function gatePolicy(p: DecisionPolicy): GatePolicy {
  return {
    confirm: { latency: { confirm: p.latency.confirm, of: p.latency.confirmOf }, resources: { confirm: p.resources.confirm, of: p.resources.confirmOf } },
    graceMs: p.heal.graceMs,
    resumeAfterMs: p.heal.resumeAfterMs,
  };
}
