// The state of the guard as the log tells it: the latency window, the recent findings (for confirmation),
// the heals and triggers that the budget and backoff count, the open incident, the alerts already sent and
// the previous CPU readings. historyCollector reads the log's tail backwards only as far as that needs, and
// then applies what it kept forward through history-forward.ts, the one home of the rules. Pure: it is fed
// records, it reads nothing.
import { advance, CheckStub, emptyLive, inWindow, isCheck, tsOf, type LiveHistory } from './history-forward.js';
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

/** A visitor for a backward log read that stops as soon as the history is complete; result() applies what it kept.
 * detail() says what of the next (older) check record still matters, for a reader that spares the parse: 'time'
 * (checkStub may stand for it), 'window' (windowCheckStub may), or 'full'. */
export function historyCollector(needs: HistoryNeeds) {
  const kept: unknown[] = []; // newest first
  let learnable = 0;
  let checks = 0;
  let pastLookback = false;
  let rebaselined = false; // the window does not reach back past heal-reset --rebaseline
  const visit = (record: unknown): boolean => {
    const ts = tsOf(record);
    if (Number.isFinite(ts) && needs.nowMs - ts > needs.lookbackMs) pastLookback = true;
    if (isCheck(record)) {
      const counts = !rebaselined && learnable < needs.window && inWindow(record, needs);
      if (counts) learnable += 1;
      // Past the lookback a check only matters for the window or the recent reasons.
      if (counts || checks < needs.recent + 1 || !pastLookback) kept.push(record);
      checks += 1;
    } else if (typeof record === 'object' && record !== null) {
      const r = record as { event?: unknown; rebaseline?: unknown };
      if (r.event === 'heal_resumed' && r.rebaseline === true) {
        rebaselined = true;
        kept.push(record);
      } else if (!pastLookback) kept.push(record);
    }
    return !((learnable >= needs.window || rebaselined) && checks >= needs.recent && pastLookback);
  };
  const detail = (): 'full' | 'window' | 'time' => (checks < needs.recent + 1 ? 'full' : learnable >= needs.window || rebaselined ? 'time' : 'window');
  const live = (): LiveHistory => {
    const state = emptyLive();
    for (let i = kept.length - 1; i >= 0; i--) advance(state, kept[i], needs);
    return state;
  };
  return { visit, result: (): History => live().history, live, detail };
}

/**
 * A check record with the time `ts` and no other detail, standing in for a real one older than what the
 * window and the recent reasons take (detail() 'time'): applied forward, such a check's latency is
 * pushed out of the window by the `window` newer ones or cleared by the rebaseline after it, its reasons by
 * the `recent` newer checks, its CPU and service readings by the newer check; what stays is that it is a check
 * (checksSinceHeal) and its time (newestTs, times lowered). Exactly what the stub leaves.
 */
export function checkStub(ts: string): object {
  return new CheckStub(ts);
}

/** The same with the fields the window reads (detail() 'window': the window still takes older latencies), as
 * JSON.parse gives them: `lat.latency_ms`, `lat.ok`, `in_baseline` and `stalled_ms` (undefined: missing). */
export function windowCheckStub(ts: string, f: { latencyMs: number; ok: boolean; inBaseline: boolean | undefined; stalledMs: number | undefined }): object {
  return new CheckStub(ts, { latency_ms: f.latencyMs, ok: f.ok }, f.inBaseline, f.stalledMs);
}
