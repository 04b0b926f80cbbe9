// The state of the guard as the log's tail tells it, for `status` and /api/status alike: the latest check,
// the baseline the next check is scored against, the newest record of each event kind asked for, the heals
// of the last hour. Pure: a visitor fed records newest first (by a backward read that may go on into the
// rotated log), then result(). A record whose fields have the wrong type is passed over and counted.
import { classifyRecord, type CheckRecord, type EventRecord } from '../log/records.js';
import { baselineSummary } from './baseline.js';
import { historyCollector } from './history.js';

/** An event kind the log holds. */
export type EventKind = EventRecord['event'];

/** What the baseline of a summary needs (the latency settings in force). */
export interface SummarySettings {
  window: number;
  minSamples: number;
  minStdevMs: number;
  sigma: number;
  learn: 'all' | 'normal';
  /** An ok latency above this (health.timeout) cannot have been measured. */
  maxLatencyMs: number;
}

/** The tail's summary. */
export interface TailSummary {
  latestCheck: CheckRecord | null;
  baseline: { n: number; mean: number | null; stdev: number | null; threshold_ms: number | null };
  /** The newest valid record of each kind asked for, or null when the part of the tail read had none. */
  last: Partial<Record<EventKind, EventRecord | null>>;
  healsLastHour: number;
  /** Records passed over: JSON, but of no known kind or with a field of the wrong type. */
  invalidRecords: number;
}

const HOUR_MS = 3_600_000;

/** A visitor (newest first) that stops once the baseline, the heals of the hour, the latest check and
 * every kind in `events` are known; result() summarises what it saw. */
export function tailSummaryCollector(settings: SummarySettings, nowMs: number, events: readonly EventKind[]) {
  const history = historyCollector({ window: settings.window, recent: 0, nowMs, lookbackMs: HOUR_MS, maxLatencyMs: settings.maxLatencyMs, learn: settings.learn });
  const last: TailSummary['last'] = Object.fromEntries(events.map((e) => [e, null]));
  let missing = events.length;
  let latestCheck: CheckRecord | null = null;
  let historyDone = false;
  let invalidRecords = 0;
  const visit = (record: unknown): boolean => {
    if (!historyDone) historyDone = !history.visit(record);
    const c = classifyRecord(record);
    if (c.kind === 'invalid') invalidRecords++;
    else if (c.kind === 'check') latestCheck ??= c.record;
    else if (c.kind === 'event' && last[c.record.event] === null) {
      last[c.record.event] = c.record;
      missing -= 1;
    }
    return !(historyDone && latestCheck !== null && missing === 0);
  };
  const result = (): TailSummary => {
    const h = history.result();
    const healsLastHour = h.healTimes.filter((t) => nowMs - t < HOUR_MS).length;
    return { latestCheck, baseline: baselineSummary(h.window, settings), last, healsLastHour, invalidRecords };
  };
  return { visit, result };
}
