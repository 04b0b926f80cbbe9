// Rebuilds the state of the guard from the tail of the log, newest first: the latency window, the recent
// findings (for confirmation), the heals and triggers that the budget and backoff count, the open
// incident, the alerts already sent and the previous CPU reading. Pure: it is fed records, it reads nothing.
//
// Times: the log is appended in the order things happened, so a record cannot be later than the records
// after it. A time stamped ahead of them (the clock was ahead, then corrected) is read as the time of the
// next record, and nothing counts as later than now: a wrong clock can delay nothing by more than the span
// it is configured for.
import { isCheckRecord } from '../log/records.js';
import { parseTs } from './format.js';
import type { CpuTicks } from './procfs-parse.js';

/** An incident still open: a trigger or warning after the last `recovered`. */
export interface OpenIncident {
  /** The time of its first trigger or warning. */
  startTs: number;
  /** Every reason type it has seen, each with its newest text. */
  reasons: string[];
  /** True when it has an anomaly_trigger (a heal-action finding), not only warnings. */
  triggered: boolean;
}

/** What the guard remembers between cycles. */
export interface History {
  /** Latencies of the most recent ok checks that belong in the baseline, oldest first. */
  window: number[];
  /** The `reasons` of the most recent check records, newest first (for "N of the last M"). */
  recentReasons: string[][];
  /** Epoch-ms times of self_heal records within the lookback and after the last heal_resumed, newest first. */
  healTimes: number[];
  /** Times of anomaly_trigger records within the lookback, newest first (the backoff's incident). */
  triggerTimes: number[];
  /** Check records newer than the newest self_heal (all of them when there was none in the lookback). */
  checksSinceHeal: number;
  /** The time of a heal_budget_exhausted record after the last heal and resume, and whether it latched. */
  exhausted: { ts: number; latched: boolean } | null;
  /** The incident still open, if any. */
  incident: OpenIncident | null;
  /** Newest alert_sent time per key, after the last `recovered`. */
  alertsSent: Record<string, number>;
  /** The newest record's time as stamped, if any (to notice a clock that went back). */
  newestTs: number | null;
  /** The newest check record's /proc/stat reading and its time, if it kept one. */
  lastCpu: { ticks: CpuTicks; atMs: number } | null;
  /** The newest check record's reading of the service's counters (resources.service) and its time, if it kept one. */
  lastService: { reading: { usageUs: number; cpus: number; mem: number | null; source: string }; atMs: number } | null;
}

/** How far the collector reads, and what it lets into the window. */
export interface HistoryNeeds {
  window: number;
  /** How many earlier check records' reasons to keep. */
  recent: number;
  nowMs: number;
  lookbackMs: number;
  /** An ok latency above this cannot have been measured (health.timeout): it never enters the window. */
  maxLatencyMs?: number;
  /** `normal`: checks marked `in_baseline: false` (anomalous, or in an open incident) stay out of the window. */
  learn?: 'all' | 'normal';
}

type EventFields = { event?: unknown; reasons?: unknown; latched?: unknown; key?: unknown; rebaseline?: unknown };

/** A visitor for a backward log read that stops as soon as the history is complete. */
export function historyCollector(needs: HistoryNeeds) {
  const h: History = { window: [], recentReasons: [], healTimes: [], triggerTimes: [], checksSinceHeal: 0, exhausted: null, incident: null, alertsSent: {}, newestTs: null, lastCpu: null, lastService: null };
  const incidentReasons = new Map<string, string>(); // reason type → newest text, newest first
  let ceiling = needs.nowMs; // no record is later than the records after it, nor than now
  let pastLookback = false;
  let healSeen = false;
  let resumed = false; // a heal_resumed was passed: older heals and exhaustion no longer count
  let rebaselined = false; // a heal_resumed with rebaseline was passed: older latencies are not the baseline
  let recoveredSeen = false;
  let laterHealEnds = 0; // self_heal records seen (newer) that a heal_start further back belongs to
  let cpuLooked = false;
  const visit = (record: unknown): boolean => {
    const stamped = parseTs((record as { ts?: unknown } | null)?.ts);
    const timed = Number.isFinite(stamped);
    if (h.newestTs === null && timed) h.newestTs = stamped;
    const ts = timed ? Math.min(stamped, ceiling) : stamped;
    if (timed) ceiling = ts;
    if (timed && needs.nowMs - ts > needs.lookbackMs) pastLookback = true;
    if (isCheckRecord(record)) visitCheck(record, ts);
    else if (typeof record === 'object' && record !== null) {
      const r = record as EventFields;
      if (r.event === 'heal_resumed' && r.rebaseline === true) rebaselined = true; // however far back the window reaches
      if (timed && !pastLookback) visitEvent(r, ts);
    }
    return !(h.window.length >= needs.window && h.recentReasons.length >= needs.recent && pastLookback);
  };
  const visitCheck = (record: { lat: { ok?: unknown; latency_ms?: unknown }; reasons?: unknown; in_baseline?: unknown; res?: unknown }, ts: number): void => {
    const { lat } = record;
    if (!cpuLooked) {
      cpuLooked = true;
      const ticks = cpuTicksOf(record.res);
      if (ticks !== null && Number.isFinite(ts)) h.lastCpu = { ticks, atMs: ts };
      const service = serviceReadingOf(record.res);
      if (service !== null && Number.isFinite(ts)) h.lastService = { reading: service, atMs: ts };
    }
    if (learnable(lat, record.in_baseline) && !rebaselined && h.window.length < needs.window) h.window.push(lat.latency_ms as number);
    if (h.recentReasons.length < needs.recent) h.recentReasons.push(Array.isArray(record.reasons) ? record.reasons.map(String) : []);
    if (!healSeen && !pastLookback) h.checksSinceHeal += 1;
  };
  const learnable = (lat: { ok?: unknown; latency_ms?: unknown }, inBaseline: unknown): boolean => {
    const ms = lat.latency_ms;
    if (lat.ok !== true || typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return false;
    if (needs.maxLatencyMs !== undefined && ms > needs.maxLatencyMs) return false;
    return needs.learn !== 'normal' || inBaseline !== false;
  };
  const visitEvent = (r: EventFields, ts: number): void => {
    switch (r.event) {
      case 'self_heal':
        healSeen = true;
        laterHealEnds += 1;
        if (!resumed) h.healTimes.push(ts);
        break;
      case 'heal_start':
        // Matched by a later self_heal: already counted. Unmatched: the process died mid-heal; it counts.
        if (laterHealEnds > 0) laterHealEnds -= 1;
        else {
          healSeen = true;
          if (!resumed) h.healTimes.push(ts);
        }
        break;
      case 'heal_resumed':
        resumed = true;
        break;
      case 'heal_budget_exhausted':
        if (!resumed && !healSeen && h.exhausted === null) h.exhausted = { ts, latched: r.latched === true };
        break;
      case 'anomaly_trigger':
      case 'resource_warning':
        if (r.event === 'anomaly_trigger') h.triggerTimes.push(ts);
        if (!recoveredSeen) openIncident(r, ts);
        break;
      case 'recovered':
        recoveredSeen = true;
        break;
      case 'alert_sent':
        if (!recoveredSeen && typeof r.key === 'string' && h.alertsSent[r.key] === undefined) h.alertsSent[r.key] = ts;
        break;
    }
  };
  const openIncident = (r: EventFields, ts: number): void => {
    for (const reason of Array.isArray(r.reasons) ? r.reasons.map(String) : []) {
      const type = reason.split(' (')[0] ?? reason;
      if (!incidentReasons.has(type)) incidentReasons.set(type, reason);
    }
    h.incident = { startTs: ts, reasons: [], triggered: (h.incident?.triggered ?? false) || r.event === 'anomaly_trigger' };
  };
  const result = (): History => {
    const incident = h.incident === null ? null : { ...h.incident, reasons: [...incidentReasons.values()].reverse() };
    return { ...h, incident, window: h.window.slice().reverse() };
  };
  return { visit, result };
}

// A check record's `res.cpu_ticks`, when it has a usable one.
function cpuTicksOf(res: unknown): CpuTicks | null {
  const t = (res as { cpu_ticks?: unknown } | null)?.cpu_ticks as { busy?: unknown; total?: unknown; btime?: unknown } | undefined;
  if (typeof t !== 'object' || t === null) return null;
  const { busy, total, btime } = t;
  if (typeof busy !== 'number' || typeof total !== 'number' || !Number.isFinite(busy) || !Number.isFinite(total)) return null;
  return { busy, total, btime: typeof btime === 'number' && Number.isFinite(btime) ? btime : null };
}

// A check record's `res.service` counters, when it has usable ones.
function serviceReadingOf(res: unknown): { usageUs: number; cpus: number; mem: number | null; source: string } | null {
  const s = (res as { service?: unknown } | null)?.service as { usage_us?: unknown; cpus?: unknown; source?: unknown; mem?: unknown } | undefined;
  if (typeof s !== 'object' || s === null) return null;
  const { usage_us: usageUs, cpus, source, mem } = s;
  if (typeof usageUs !== 'number' || typeof cpus !== 'number' || typeof source !== 'string' || !(cpus > 0)) return null;
  return { usageUs, cpus, source, mem: typeof mem === 'number' ? mem : null };
}
