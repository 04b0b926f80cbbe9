// The rules of the guard's state, record by record in file order: what enters the latency window, which heals
// and triggers the budget counts, when an incident opens and ends. A one-shot check applies the tail it read
// (historyCollector); a running daemon keeps the state in memory and applies what is appended, so it reads the
// whole tail only at start, after logrotate, or when it cannot follow the file.
//
// Times: the log is appended in the order things happened, so a record cannot be later than the records after
// it. A time stamped ahead of them (the clock was ahead, then corrected) is lowered to the next record's, and
// nothing counts as later than now: a wrong clock delays nothing by more than the span it is configured for.
import { isCheckRecord, type CheckRecord } from '../log/records.js';
import { parseTs } from './format.js';
import { reasonType } from './kinds.js';
import type { History, HistoryNeeds } from './history.js';
import type { CpuTicks } from './procfs-parse.js';

/** History plus what moving it forward needs to remember. */
export interface LiveHistory {
  history: History;
  /** A heal_start still waiting for its self_heal (index into healTimes is always 0 when set). */
  healPending: boolean;
  /** The time of the open incident's newest trigger or warning (past the lookback, a backward read no longer sees it). */
  incidentLastTs: number | null;
}

/** A state before any record. */
export function emptyLive(): LiveHistory {
  const history: History = { window: [], recentReasons: [], healTimes: [], triggerTimes: [], checksSinceHeal: 0, exhausted: null, incident: null, alertsSent: {}, newestTs: null, lastCpu: null, lastService: null };
  return { history, healPending: false, incidentLastTs: null };
}

/** A check record of a time and, at most, what the latency window reads, which a reader puts for one whose other
 * fields no longer matter (checkStub in history.ts): a valid check record, known as one without checking it again. */
export class CheckStub {
  readonly res = STUB_RES;
  readonly score = null;
  readonly mean = null;
  readonly stdev = null;
  /** parseTs(ts), read once. */
  readonly ms: number;
  constructor(
    readonly ts: string,
    readonly lat: { latency_ms: number; ok: boolean } = STUB_LAT,
    readonly in_baseline?: boolean,
    readonly stalled_ms?: number,
  ) {
    this.ms = parseTs(ts);
  }
}

/** parseTs of a record's ts (a stub's read once). */
export const tsOf = (record: unknown): number => (record instanceof CheckStub ? record.ms : parseTs((record as { ts?: unknown } | null)?.ts));

const STUB_LAT: { latency_ms: number; ok: boolean } = Object.freeze({ latency_ms: 0, ok: false });
const STUB_RES: { cpu: null; mem: null; disk: null } = Object.freeze({ cpu: null, mem: null, disk: null });

/** isCheckRecord, with a stub known to be one. */
export const isCheck = (record: unknown): record is CheckRecord => record instanceof CheckStub || isCheckRecord(record);

type Fields = { ts?: unknown; event?: unknown; reasons?: unknown; latched?: unknown; key?: unknown; rebaseline?: unknown };

/** Moves the history forward by one appended record (in file order). */
export function advance(live: LiveHistory, record: unknown, needs: HistoryNeeds): void {
  if (typeof record !== 'object' || record === null) return;
  const h = live.history;
  const stamped = tsOf(record);
  const timed = Number.isFinite(stamped);
  if (timed) {
    h.newestTs = stamped;
    lowerTimes(h, stamped); // nothing before this record is later than it
  }
  const ts = timed ? Math.min(stamped, needs.nowMs) : stamped;
  if (isCheck(record)) advanceCheck(live, record as unknown as Record<string, unknown> & { lat: Record<string, unknown> }, ts, needs);
  else if (timed) advanceEvent(live, record as Fields, ts);
  forget(live, needs);
}

function advanceCheck(live: LiveHistory, record: Record<string, unknown> & { lat: Record<string, unknown> }, ts: number, needs: HistoryNeeds): void {
  const h = live.history;
  if (inWindow(record, needs)) {
    h.window.push(record.lat.latency_ms as number);
    if (h.window.length > needs.window) h.window.splice(0, h.window.length - needs.window);
  }
  if (needs.recent > 0) {
    // A check taken while the guard itself was stalled confirms nothing.
    h.recentReasons.unshift(Array.isArray(record.reasons) && !stalled(record) ? record.reasons.map(String) : []);
    if (h.recentReasons.length > needs.recent) h.recentReasons.length = needs.recent;
  }
  h.checksSinceHeal += 1;
  const ticks = cpuTicksOf(record.res);
  h.lastCpu = ticks !== null && Number.isFinite(ts) ? { ticks, atMs: ts } : null;
  const service = serviceReadingOf(record.res);
  h.lastService = service !== null && Number.isFinite(ts) ? { reading: service, atMs: ts } : null;
}

function advanceEvent(live: LiveHistory, r: Fields, ts: number): void {
  const h = live.history;
  switch (r.event) {
    case 'heal_start':
      h.healTimes.unshift(ts);
      live.healPending = true;
      h.checksSinceHeal = 0;
      h.exhausted = null;
      break;
    case 'self_heal':
      // The end of the heal_start before it counts once, at its own time; a lone self_heal counts too.
      if (live.healPending) h.healTimes[0] = ts;
      else h.healTimes.unshift(ts);
      live.healPending = false;
      h.checksSinceHeal = 0;
      h.exhausted = null;
      break;
    case 'heal_resumed':
      h.healTimes = [];
      live.healPending = false;
      h.exhausted = null;
      if (r.rebaseline === true) h.window = [];
      break;
    case 'heal_budget_exhausted':
      h.exhausted = { ts, latched: r.latched === true };
      break;
    case 'anomaly_trigger':
    case 'resource_warning':
      if (r.event === 'anomaly_trigger') h.triggerTimes.unshift(ts);
      openIncident(h, r, ts);
      live.incidentLastTs = ts;
      break;
    case 'recovered':
      h.incident = null;
      live.incidentLastTs = null;
      h.alertsSent = {};
      break;
    case 'alert_sent':
      if (typeof r.key === 'string') h.alertsSent[r.key] = ts;
      break;
  }
}

function openIncident(h: History, r: Fields, ts: number): void {
  const reasons = Array.isArray(r.reasons) ? r.reasons.map(String) : [];
  const byType = new Map((h.incident?.reasons ?? []).map((x) => [reasonType(x), x] as const));
  for (const reason of reasons) byType.set(reasonType(reason), reason);
  h.incident = { startTs: h.incident?.startTs ?? ts, reasons: [...byType.values()], triggered: (h.incident?.triggered ?? false) || r.event === 'anomaly_trigger' };
}

/** Forgets what is older than the lookback as of needs.nowMs (the backward read stops there). */
export function forget(live: LiveHistory, needs: HistoryNeeds): void {
  const h = live.history;
  const oldest = needs.nowMs - needs.lookbackMs;
  const kept = (t: number): boolean => t >= oldest;
  // Copied only when something goes (a rebuild applies thousands of records, most of which change nothing).
  if (!h.healTimes.every(kept)) h.healTimes = h.healTimes.filter(kept);
  if (!h.triggerTimes.every(kept)) h.triggerTimes = h.triggerTimes.filter(kept);
  if (h.exhausted !== null && h.exhausted.ts < oldest) h.exhausted = null;
  for (const [key, t] of Object.entries(h.alertsSent)) if (t < oldest) delete h.alertsSent[key];
  if (live.incidentLastTs !== null && live.incidentLastTs < oldest) {
    h.incident = null;
    live.incidentLastTs = null;
  }
}

function lowerTimes(h: History, ceiling: number): void {
  const low = (t: number): number => Math.min(t, ceiling);
  const later = (t: number): boolean => t > ceiling;
  // Copied only when a time is lowered: the same values, without an allocation per record in the usual case.
  if (h.healTimes.some(later)) h.healTimes = h.healTimes.map(low);
  if (h.triggerTimes.some(later)) h.triggerTimes = h.triggerTimes.map(low);
  if (h.exhausted && later(h.exhausted.ts)) h.exhausted = { ...h.exhausted, ts: ceiling };
  if (h.incident && later(h.incident.startTs)) h.incident = { ...h.incident, startTs: ceiling };
  for (const key of Object.keys(h.alertsSent)) h.alertsSent[key] = low(h.alertsSent[key] as number);
  if (h.lastCpu && later(h.lastCpu.atMs)) h.lastCpu = { ...h.lastCpu, atMs: ceiling };
  if (h.lastService && later(h.lastService.atMs)) h.lastService = { ...h.lastService, atMs: ceiling };
}

/** Whether a check record's latency belongs in the window under these needs. */
export function inWindow(record: { lat: { ok?: unknown; latency_ms?: unknown }; in_baseline?: unknown; stalled_ms?: unknown }, needs: Pick<HistoryNeeds, 'maxLatencyMs' | 'learn'>): boolean {
  const ms = record.lat.latency_ms;
  if (stalled(record)) return false; // the guard's own stall, whatever latency.learn says
  if (record.lat.ok !== true || typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return false;
  if (needs.maxLatencyMs !== undefined && ms > needs.maxLatencyMs) return false;
  return needs.learn !== 'normal' || record.in_baseline !== false;
}

/** True for a check taken while the guard's own event loop was stalled (`stalled_ms` > 0). */
export function stalled(record: object): boolean {
  if (!('stalled_ms' in record)) return false;
  return typeof record.stalled_ms === 'number' && record.stalled_ms > 0;
}

/** A check record's `res.cpu_ticks`, when it has a usable one. */
export function cpuTicksOf(res: unknown): CpuTicks | null {
  const t = (res as { cpu_ticks?: unknown } | null)?.cpu_ticks as { busy?: unknown; total?: unknown; btime?: unknown } | undefined;
  if (typeof t !== 'object' || t === null) return null;
  const { busy, total, btime } = t;
  if (typeof busy !== 'number' || typeof total !== 'number' || !Number.isFinite(busy) || !Number.isFinite(total)) return null;
  return { busy, total, btime: typeof btime === 'number' && Number.isFinite(btime) ? btime : null };
}

/** A check record's `res.service` counters, when it has usable ones. */
export function serviceReadingOf(res: unknown): { usageUs: number; cpus: number; mem: number | null; source: string } | null {
  const s = (res as { service?: unknown } | null)?.service as { usage_us?: unknown; cpus?: unknown; source?: unknown; mem?: unknown } | undefined;
  if (typeof s !== 'object' || s === null) return null;
  const { usage_us: usageUs, cpus, source, mem } = s;
  if (typeof usageUs !== 'number' || typeof cpus !== 'number' || typeof source !== 'string' || !(cpus > 0)) return null;
  return { usageUs, cpus, source, mem: typeof mem === 'number' ? mem : null };
}
