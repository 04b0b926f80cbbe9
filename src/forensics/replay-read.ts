// Reads what `replay` needs from the log, streaming it oldest first through the fast reader: the latency
// series of ok checks (the one part kept whole: every setting re-runs over it), the recorded latency
// triggers and the incidents (stretches of checks whose probe failed), each placed at its check's ordinal.
import { existsSync } from 'node:fs';
import { parseLogLine } from '../log/tail-reader.js';
import type { LineParse, RecordSink } from './line-handler.js';
import { readRecords } from './record-reader.js';

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

/** Collects the replay history from the records of the log, in log order (pure; fed by readReplayHistory). */
export function replayCollector(): RecordSink & { result(): ReplayHistory } {
  const h: ReplayHistory = { checks: 0, values: [], timesMs: [], checkIndex: [], recorded: [], incidents: [], firstMs: Number.NaN, lastMs: Number.NaN, skipped: 0 };
  let open: ReplayHistory['incidents'][number] | null = null;
  return {
    check(c) {
      const ts = c.tsMs;
      const at = h.checks++;
      if (Number.isNaN(h.firstMs)) h.firstMs = ts;
      h.lastMs = ts;
      const latency = c.latencyMs;
      if (c.ok === true && latency !== null && Number.isFinite(latency)) {
        open = null;
        h.values.push(latency);
        h.timesMs.push(ts);
        h.checkIndex.push(at);
      } else if (c.ok === false) {
        if (open) open.checks++;
        else h.incidents.push((open = { check: at, tsMs: ts, checks: 1 }));
      }
    },
    record(rec, tsMs) {
      if (rec.event !== 'anomaly_trigger' || h.checks === 0) return;
      const reasons = Array.isArray(rec.reasons) ? rec.reasons : [];
      if (reasons.some((r) => typeof r === 'string' && r.startsWith('latency_anomaly_'))) h.recorded.push({ check: h.checks - 1, tsMs });
    },
    result: () => h,
  };
}

// A line as the log's other readers take it: trimmed, then JSON.parse.
const parseTrimmed: LineParse = (line) => {
  const parsed = parseLogLine(line);
  return parsed === 'invalid' ? null : (parsed as Record<string, unknown> | 'empty');
};

/** Reads the log at `path` into a ReplayHistory (an absent log gives an empty one); a last line without '\n' is left. */
export async function readReplayHistory(path: string): Promise<ReplayHistory> {
  const c = replayCollector();
  if (!existsSync(path)) return c.result();
  const file = { path, gzip: false, bytes: 0 };
  const counts = await readRecords({ file, start: 0, end: null, pos: 0 }, { range: { sinceMs: null, untilMs: null }, parse: parseTrimmed, partialLast: false }, c);
  if (counts.error !== null) throw new Error(`cannot read log ${path}: ${counts.error}`);
  const h = c.result();
  h.skipped = counts.skipped;
  return h;
}
