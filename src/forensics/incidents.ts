// Incidents: runs of findings. One opens at the first record with findings (a check with reasons or a
// failed probe, an anomaly_trigger, a resource_warning) and ends at the first later clean check (ok, no
// reasons) or `recovered` record. Pure: fed records' facts in log order, it keeps O(keep) memory.
import { roundMs } from '../core/format.js';

/** One incident as the report lists it. */
export interface Incident {
  /** ts of its first finding. */
  start: string;
  /** ts of its last finding. */
  lastFinding: string;
  /** ts of the clean check or `recovered` record that ended it; null while it is still open. */
  end: string | null;
  /** From the first to the last finding. */
  durationMs: number;
  /** From the first finding to the recovery; null while open. */
  recoveryMs: number | null;
  /** Reason types, the most frequent first. */
  reasonTypes: string[];
  /** self_heal records while it was open. */
  heals: number;
}

/** Incident totals and the latest ones. */
export interface IncidentSummary {
  total: number;
  recovered: number;
  /** Mean time to recovery over the recovered incidents (null when none recovered). */
  mttrMs: number | null;
  /** The latest `keep` incidents, oldest first (the open one last). */
  latest: Incident[];
}

interface Open {
  start: string;
  startMs: number;
  last: string;
  lastMs: number;
  reasons: Map<string, number>;
  heals: number;
}

/** Tracks incidents from a stream of findings, heals and clean checks. */
export interface IncidentTracker {
  finding(ts: string, tsMs: number, reasonTypes: readonly string[]): void;
  heal(): void;
  clear(ts: string, tsMs: number): void;
  summary(): IncidentSummary;
}

const MAX_REASON_TYPES = 8;

function toIncident(o: Open, end: string | null, endMs: number | null): Incident {
  const reasonTypes = [...o.reasons.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_REASON_TYPES)
    .map(([type]) => type);
  const recoveryMs = endMs === null ? null : roundMs(endMs - o.startMs);
  return { start: o.start, lastFinding: o.last, end, durationMs: roundMs(o.lastMs - o.startMs), recoveryMs, reasonTypes, heals: o.heals };
}

/** Creates a tracker that keeps totals for every incident and the details of the latest `keep`. */
export function incidentTracker(keep: number): IncidentTracker {
  const latest: Incident[] = [];
  let open: Open | null = null;
  let total = 0;
  let recovered = 0;
  let recoverySum = 0;
  const remember = (incident: Incident): void => {
    latest.push(incident);
    if (latest.length > keep) latest.shift();
  };
  return {
    finding(ts, tsMs, reasonTypes) {
      if (open === null) {
        open = { start: ts, startMs: tsMs, last: ts, lastMs: tsMs, reasons: new Map(), heals: 0 };
        total++;
      }
      open.last = ts;
      open.lastMs = tsMs;
      for (const type of reasonTypes) open.reasons.set(type, (open.reasons.get(type) ?? 0) + 1);
    },
    heal() {
      if (open !== null) open.heals++;
    },
    clear(ts, tsMs) {
      if (open === null) return;
      const incident = toIncident(open, ts, tsMs);
      recovered++;
      recoverySum += incident.recoveryMs ?? 0;
      remember(incident);
      open = null;
    },
    summary() {
      const list = open === null || keep <= 0 ? [...latest] : [...latest, toIncident(open, null, null)].slice(-keep);
      return { total, recovered, mttrMs: recovered === 0 ? null : roundMs(recoverySum / recovered), latest: list };
    },
  };
}
