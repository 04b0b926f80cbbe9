// The seed's detection table as a pure function: which findings a cycle's figures produce, with the
// reason strings of CONTRACT.md (compared on the rounded figures that are logged, so the log explains itself).
import { latencyReason, resourceReason, unhealthyReason, type FindingKind } from './kinds.js';

/** One breached threshold: its kind (for the action table) and its reason string. */
export interface Finding {
  kind: FindingKind;
  reason: string;
}

/** The figures of one cycle, rounded as logged. */
export interface CycleFigures {
  ok: boolean;
  detail: string | null;
  score: number | null;
  cpu: number | null;
  mem: number | null;
  disk: number | null;
  /** A detector other than the seed's z-score decides the latency finding itself (reason included). */
  latency?: { anomaly: boolean; reason: string } | null;
  /** Whose cpu and mem these are when not the host's (resources.service): named in the reason. */
  owner?: string | null;
}

/** The thresholds the figures are compared with. */
export interface Thresholds {
  sigma: number;
  cpuCritical: number;
  memCritical: number;
  diskWarning: number;
}

/** Formats a number without trailing zeros (3 → "3", 2.5 → "2.5"). */
export function plainNumber(n: number): string {
  return String(Number(n.toFixed(6)));
}

/** Returns the findings of a cycle in the seed's table order. */
export function evaluateFindings(f: CycleFigures, t: Thresholds): Finding[] {
  const out: Finding[] = [];
  if (!f.ok) out.push({ kind: 'unhealthy', reason: unhealthyReason(f.detail) });
  if (f.latency) {
    if (f.latency.anomaly) out.push({ kind: 'latency', reason: f.latency.reason });
  } else if (f.score !== null && f.score > t.sigma) {
    out.push({ kind: 'latency', reason: latencyReason(`${plainNumber(t.sigma)}sigma`, f.score) });
  }
  if (f.cpu !== null && f.cpu > t.cpuCritical) out.push({ kind: 'cpu', reason: resourceReason('cpu', f.cpu, f.owner) });
  if (f.mem !== null && f.mem > t.memCritical) out.push({ kind: 'mem', reason: resourceReason('mem', f.mem, f.owner) });
  if (f.disk !== null && f.disk > t.diskWarning) out.push({ kind: 'disk', reason: resourceReason('disk', f.disk) });
  return out;
}
