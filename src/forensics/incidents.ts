// Incidents: runs of findings. One opens at the first record with findings (a check with reasons or a
// failed probe, an anomaly_trigger, a resource_warning) and ends at the first later clean check (ok, no
// reasons) or `recovered` record. Pure: fed records' facts in log order, it keeps O(keep) memory. Its
// state merges with the next part's (another thread's): what comes before a part's first clean check is
// kept apart, as it may belong to an incident the part before left open.
import { roundMs } from '../core/format.js';
import type { TimePoint } from './check-view.js';

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

interface Point {
  ts: string;
  tsMs: number;
}

/** The incident still open. */
interface Open {
  start: Point;
  last: Point;
  reasons: Map<string, number>;
  heals: number;
}

/** Findings and heals before a part's first clean check. */
interface Lead {
  healsBefore: number;
  first: Point | null;
  last: Point | null;
  reasons: Map<string, number>;
  healsAfter: number;
}

/** Incidents after a part's first clean check; recovery times summed in µs, so sums do not depend on order. */
interface Tail {
  total: number;
  recovered: number;
  recoveryUs: number;
  latest: Incident[];
  open: Open | null;
}

/** What a tracker knows about its part of the log. */
export interface IncidentState {
  keep: number;
  lead: Lead;
  leadEnd: Point | null;
  tail: Tail;
}

/** Tracks incidents from a stream of findings, heals and clean checks. */
export interface IncidentTracker {
  finding(at: TimePoint, reasonTypes: readonly string[]): void;
  heal(): void;
  clear(at: TimePoint): void;
  state(): IncidentState;
  summary(): IncidentSummary;
}

const MAX_REASON_TYPES = 8;
const point = (at: TimePoint): Point => ({ ts: at.ts, tsMs: at.tsMs });
const emptyTail = (): Tail => ({ total: 0, recovered: 0, recoveryUs: 0, latest: [], open: null });
const addReasons = (to: Map<string, number>, from: Map<string, number>): void => from.forEach((n, type) => to.set(type, (to.get(type) ?? 0) + n));

function toIncident(o: Open, end: Point | null): Incident {
  const reasonTypes = [...o.reasons.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_REASON_TYPES)
    .map(([type]) => type);
  const recoveryMs = end === null ? null : roundMs(end.tsMs - o.start.tsMs);
  return { start: o.start.ts, lastFinding: o.last.ts, end: end?.ts ?? null, durationMs: roundMs(o.last.tsMs - o.start.tsMs), recoveryMs, reasonTypes, heals: o.heals };
}

function closeOpen(t: Tail, at: Point, keep: number): void {
  if (t.open === null) return;
  const incident = toIncident(t.open, at);
  t.recovered++;
  t.recoveryUs += Math.round((incident.recoveryMs ?? 0) * 1000);
  t.latest.push(incident);
  if (t.latest.length > keep) t.latest.shift();
  t.open = null;
}

// Applies a part (its lead, first clean check and tail) to the incidents before it, in place.
function follow(t: Tail, next: IncidentState): void {
  const { lead, keep } = next;
  if (t.open !== null) {
    if (lead.last !== null) t.open.last = lead.last;
    addReasons(t.open.reasons, lead.reasons);
    t.open.heals += lead.healsBefore + lead.healsAfter;
  } else if (lead.first !== null && lead.last !== null) {
    t.open = { start: lead.first, last: lead.last, reasons: new Map(lead.reasons), heals: lead.healsAfter };
    t.total++;
  }
  if (next.leadEnd !== null) closeOpen(t, next.leadEnd, keep);
  else return;
  t.total += next.tail.total;
  t.recovered += next.tail.recovered;
  t.recoveryUs += next.tail.recoveryUs;
  t.latest = keep <= 0 ? [] : [...t.latest, ...next.tail.latest].slice(-keep);
  t.open = next.tail.open === null ? null : { ...next.tail.open, reasons: new Map(next.tail.open.reasons) };
}

function joinLeads(a: Lead, b: Lead): Lead {
  if (a.first === null) return { ...b, healsBefore: a.healsBefore + b.healsBefore };
  const reasons = new Map(a.reasons);
  addReasons(reasons, b.reasons);
  return { healsBefore: a.healsBefore, first: a.first, last: b.last ?? a.last, reasons, healsAfter: a.healsAfter + b.healsBefore + b.healsAfter };
}

/** The state of part a followed by part b. */
export function mergeIncidents(a: IncidentState, b: IncidentState): IncidentState {
  if (a.leadEnd === null) return { keep: a.keep, lead: joinLeads(a.lead, b.lead), leadEnd: b.leadEnd, tail: b.tail };
  const tail: Tail = { ...a.tail, latest: [...a.tail.latest], open: a.tail.open === null ? null : { ...a.tail.open, reasons: new Map(a.tail.open.reasons) } };
  follow(tail, b);
  return { keep: a.keep, lead: a.lead, leadEnd: a.leadEnd, tail };
}

/** The incidents of a whole range (nothing open before it). */
export function incidentSummaryOf(s: IncidentState): IncidentSummary {
  const t = emptyTail();
  follow(t, s);
  const { keep } = s;
  const latest = t.open === null || keep <= 0 ? [...t.latest] : [...t.latest, toIncident(t.open, null)].slice(-keep);
  return { total: t.total, recovered: t.recovered, mttrMs: t.recovered === 0 ? null : roundMs(Math.round(t.recoveryUs / t.recovered) / 1000), latest };
}

/** Creates a tracker that keeps totals for every incident and the details of the latest `keep`, after the part of the log whose state is given. */
export function incidentTracker(keep: number, from?: IncidentState): IncidentTracker {
  const s: IncidentState = from ?? { keep, lead: { healsBefore: 0, first: null, last: null, reasons: new Map(), healsAfter: 0 }, leadEnd: null, tail: emptyTail() };
  const reasonsOf = (): Map<string, number> => (s.leadEnd === null ? s.lead.reasons : (s.tail.open as Open).reasons);
  return {
    finding(at, reasonTypes) {
      const p = point(at);
      if (s.leadEnd === null) {
        s.lead.first ??= p;
        s.lead.last = p;
      } else if (s.tail.open === null) {
        s.tail.open = { start: p, last: p, reasons: new Map(), heals: 0 };
        s.tail.total++;
      } else s.tail.open.last = p;
      const reasons = reasonsOf();
      for (const type of reasonTypes) reasons.set(type, (reasons.get(type) ?? 0) + 1);
    },
    heal() {
      if (s.leadEnd === null) {
        if (s.lead.first === null) s.lead.healsBefore++;
        else s.lead.healsAfter++;
      } else if (s.tail.open !== null) s.tail.open.heals++;
    },
    clear(at) {
      if (s.leadEnd === null) s.leadEnd = point(at);
      else if (s.tail.open !== null) closeOpen(s.tail, point(at), keep);
    },
    state: () => s,
    summary: () => incidentSummaryOf(s),
  };
}
