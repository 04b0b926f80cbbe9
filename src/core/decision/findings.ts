// The seed's detection table: which findings a cycle's figures produce, in the table's order, with the
// reason strings of CONTRACT.md (written by kinds.ts, compared on the rounded figures that are logged, so
// the log explains itself). The latency finding is the latency judgement's (latency-judge.ts), passed in.
import { resourceReason, unhealthyReason, type FindingKind } from '../kinds.js';

/** One breached threshold: its kind (for the action table) and its reason string. */
export interface Finding {
  kind: FindingKind;
  reason: string;
}

/** The figures of one cycle, rounded as logged. */
export interface CycleFigures {
  ok: boolean;
  detail: string | null;
  /** The reason of a latency anomaly that stands (judged and not disproved by re-probes), else null. */
  latency: string | null;
  /** The host's figures. */
  cpu: number | null;
  mem: number | null;
  disk: number | null;
  /** The service's own cpu and mem (resources.service): the cpu and mem findings judge these, named by the unit. */
  service?: { name: string; cpu: number | null; mem: number | null } | null;
}

/** The resource thresholds the figures are compared with. */
export interface Thresholds {
  cpuCritical: number;
  memCritical: number;
  diskWarning: number;
}

/** Returns the findings of a cycle in the seed's table order. */
export function evaluateFindings(f: CycleFigures, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  const own = f.service ?? { name: null, cpu: f.cpu, mem: f.mem }; // disk stays the host's
  if (!f.ok) out.push({ kind: 'unhealthy', reason: unhealthyReason(f.detail) });
  if (f.latency !== null) out.push({ kind: 'latency', reason: f.latency });
  if (own.cpu !== null && own.cpu > t.cpuCritical) out.push({ kind: 'cpu', reason: resourceReason('cpu', own.cpu, own.name) });
  if (own.mem !== null && own.mem > t.memCritical) out.push({ kind: 'mem', reason: resourceReason('mem', own.mem, own.name) });
  if (f.disk !== null && f.disk > t.diskWarning) out.push({ kind: 'disk', reason: resourceReason('disk', f.disk) });
  return out;
}
