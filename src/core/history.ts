// Rebuilds the state of the guard from the tail of the log, newest first: the latency window, the recent
// findings (for confirmation), the heals and triggers that the budget and backoff count, the open
// incident, and the alerts already sent. Pure: it is fed records, it reads nothing.
import { isCheckRecord } from '../log/records.js';
import { parseTs } from './format.js';

/** What the guard remembers between cycles. */
export interface History {
  /** Latencies of the most recent ok checks, oldest first. */
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
  /** An incident still open (a trigger or warning after the last `recovered`): its first time and last reasons. */
  incident: { startTs: number; reasons: string[] } | null;
  /** Newest alert_sent time per key, after the last `recovered`. */
  alertsSent: Record<string, number>;
  /** The newest record's time, if any. */
  newestTs: number | null;
}

/** How far the collector reads. */
export interface HistoryNeeds {
  window: number;
  /** How many earlier check records' reasons to keep. */
  recent: number;
  nowMs: number;
  lookbackMs: number;
}

/** A visitor for a backward log read that stops as soon as the history is complete. */
export function historyCollector(needs: HistoryNeeds) {
  const h: History = { window: [], recentReasons: [], healTimes: [], triggerTimes: [], checksSinceHeal: 0, exhausted: null, incident: null, alertsSent: {}, newestTs: null };
  let pastLookback = false;
  let healSeen = false;
  let resumed = false; // a heal_resumed was passed: older heals and exhaustion no longer count
  let recoveredSeen = false;
  let laterHealEnds = 0; // self_heal records seen (newer) that a heal_start further back belongs to
  const visit = (record: unknown): boolean => {
    const ts = parseTs((record as { ts?: unknown } | null)?.ts);
    const timed = Number.isFinite(ts);
    if (h.newestTs === null && timed) h.newestTs = ts;
    if (timed && needs.nowMs - ts > needs.lookbackMs) pastLookback = true;
    if (isCheckRecord(record)) visitCheck(record);
    else if (timed && !pastLookback) visitEvent(record as { event?: unknown; reasons?: unknown; latched?: unknown; key?: unknown }, ts);
    return !(h.window.length >= needs.window && h.recentReasons.length >= needs.recent && pastLookback);
  };
  const visitCheck = (record: { lat: { ok?: unknown; latency_ms?: unknown }; reasons?: unknown }): void => {
    const { lat } = record;
    if (lat.ok === true && typeof lat.latency_ms === 'number' && Number.isFinite(lat.latency_ms) && h.window.length < needs.window) {
      h.window.push(lat.latency_ms);
    }
    if (h.recentReasons.length < needs.recent) h.recentReasons.push(Array.isArray(record.reasons) ? record.reasons.map(String) : []);
    if (!healSeen && !pastLookback) h.checksSinceHeal += 1;
  };
  const visitEvent = (r: { event?: unknown; reasons?: unknown; latched?: unknown; key?: unknown }, ts: number): void => {
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
        if (!recoveredSeen) h.incident = { startTs: ts, reasons: h.incident?.reasons ?? (Array.isArray(r.reasons) ? r.reasons.map(String) : []) };
        break;
      case 'recovered':
        recoveredSeen = true;
        break;
      case 'alert_sent':
        if (!recoveredSeen && typeof r.key === 'string' && h.alertsSent[r.key] === undefined) h.alertsSent[r.key] = ts;
        break;
    }
  };
  const result = (): History => ({ ...h, window: h.window.slice().reverse() });
  return { visit, result };
}
