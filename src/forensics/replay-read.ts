// Reads what `replay` needs from the log, streaming it oldest first: the latency series of ok checks
// (the one part kept whole: every setting re-runs over it), the recorded latency triggers and the
// incidents (stretches of checks whose probe failed), each placed at its check's ordinal.
import { parseTs } from '../core/format.js';
import { readLogForward } from '../log/reader.js';
import { isCheckRecord, isEvent } from '../log/records.js';

/** The log as replay sees it; `check` indices count every check record, oldest first from 0. */
export interface ReplayHistory {
  checks: number;
  /** The ok checks: latency in ms, time, check index. */
  values: number[];
  timesMs: number[];
  checkIndex: number[];
  /** anomaly_trigger records with a latency_anomaly_* reason, at the check they followed. */
  recorded: { check: number; tsMs: number }[];
  /** Unhealthy stretches: the first failed check, its time, how many checks in a row failed. */
  incidents: { check: number; tsMs: number; checks: number }[];
  /** Check times at the start and end of the log (NaN for an empty log). */
  firstMs: number;
  lastMs: number;
  /** Lines that were not JSON (a torn last line). */
  skipped: number;
}

/** Collects the replay history from parsed records, in log order (pure; fed by readReplayHistory). */
export function replayCollector() {
  const h: ReplayHistory = { checks: 0, values: [], timesMs: [], checkIndex: [], recorded: [], incidents: [], firstMs: Number.NaN, lastMs: Number.NaN, skipped: 0 };
  let open: ReplayHistory['incidents'][number] | null = null;
  const visit = (record: unknown): void => {
    if (isCheckRecord(record)) {
      const ts = parseTs(record.ts);
      const at = h.checks++;
      if (Number.isNaN(h.firstMs)) h.firstMs = ts;
      h.lastMs = ts;
      if (record.lat.ok === true && typeof record.lat.latency_ms === 'number' && Number.isFinite(record.lat.latency_ms)) {
        open = null;
        h.values.push(record.lat.latency_ms);
        h.timesMs.push(ts);
        h.checkIndex.push(at);
      } else if (record.lat.ok === false) {
        if (open) open.checks++;
        else h.incidents.push((open = { check: at, tsMs: ts, checks: 1 }));
      }
    } else if (isEvent(record, 'anomaly_trigger') && h.checks > 0) {
      const reasons = Array.isArray(record.reasons) ? record.reasons : [];
      if (reasons.some((r) => typeof r === 'string' && r.startsWith('latency_anomaly_'))) h.recorded.push({ check: h.checks - 1, tsMs: parseTs(record.ts) });
    }
  };
  return { visit, result: () => h };
}

/** Streams the log at `path` into a ReplayHistory (an absent log gives an empty one). */
export async function readReplayHistory(path: string): Promise<ReplayHistory> {
  const c = replayCollector();
  const stats = { skipped: 0 };
  for await (const { record } of readLogForward(path, { stats })) c.visit(record);
  const h = c.result();
  h.skipped = stats.skipped;
  return h;
}
