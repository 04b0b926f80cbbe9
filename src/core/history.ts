// Rebuilds the state of the guard from the tail of the log, newest first: the latency window (the last
// `window` ok check records) and the times of recent heals. Pure: it is fed records, it reads nothing.
import { isCheckRecord, isEvent } from '../log/records.js';
import { parseTs } from './format.js';

/** What the guard remembers between cycles. */
export interface History {
  /** Latencies of the most recent ok checks, oldest first. */
  window: number[];
  /** Epoch-ms times of self_heal records within the lookback. */
  healTimes: number[];
  /** The newest record's time, if any (to notice a clock that went back). */
  newestTs: number | null;
}

/** A visitor for a backward log read that stops as soon as the history is complete. */
export function historyCollector(opts: { window: number; nowMs: number; lookbackMs: number }) {
  const latest: number[] = [];
  const healTimes: number[] = [];
  let newestTs: number | null = null;
  let pastLookback = false;
  const visit = (record: unknown): boolean => {
    const ts = parseTs((record as { ts?: unknown } | null)?.ts);
    if (newestTs === null && Number.isFinite(ts)) newestTs = ts;
    if (Number.isFinite(ts) && opts.nowMs - ts > opts.lookbackMs) pastLookback = true;
    if (isCheckRecord(record)) {
      const lat = record.lat;
      if (lat.ok === true && typeof lat.latency_ms === 'number' && Number.isFinite(lat.latency_ms) && latest.length < opts.window) {
        latest.push(lat.latency_ms);
      }
    } else if (isEvent(record, 'self_heal') && Number.isFinite(ts) && !pastLookback) {
      healTimes.push(ts);
    }
    return !(latest.length >= opts.window && pastLookback);
  };
  const result = (): History => ({ window: latest.slice().reverse(), healTimes, newestTs });
  return { visit, result };
}
