// GET /api/events?since=ISO&limit=N: the event records (everything but checks), newest first, read
// backwards from the end of the log and only as far as the limit or `since` needs. A record that is JSON
// but not a valid record (a field of the wrong type) is left out and counted.
import { parseTs } from '../core/format.js';
import { MAX_TAIL_BYTES } from '../log/file-log.js';
import { classifyRecord } from '../log/records.js';
import { readLogBackward } from '../log/tail-reader.js';

/** The default and the largest `limit`. */
export const EVENTS_LIMIT = { default: 50, max: 1000 } as const;

/** A valid events query. */
export interface EventsQuery {
  sinceMs: number | null;
  limit: number;
}

/** Parses the query; a string is the problem (400). A limit above the maximum is lowered to it. */
export function parseEventsQuery(q: { since?: string | undefined; limit?: string | undefined }): EventsQuery | string {
  let sinceMs: number | null = null;
  if (q.since !== undefined && q.since !== '') {
    sinceMs = parseTs(q.since);
    if (!Number.isFinite(sinceMs)) return `since: ${JSON.stringify(q.since.slice(0, 40))} is not a timestamp; use ISO 8601, e.g. 2026-01-31T08:00:00Z`;
  }
  let limit: number = EVENTS_LIMIT.default;
  if (q.limit !== undefined && q.limit !== '') {
    if (!/^\d{1,9}$/.test(q.limit) || Number(q.limit) < 1) return `limit: ${JSON.stringify(q.limit.slice(0, 40))} is not accepted; use a whole number from 1 to ${EVENTS_LIMIT.max}`;
    limit = Math.min(Number(q.limit), EVENTS_LIMIT.max);
  }
  return { sinceMs, limit };
}

/** Reads the events: at most `limit`, none older than `since`. */
export function readEvents(logFile: string, q: EventsQuery): { events: Record<string, unknown>[]; skipped_lines: number; invalid_records: number } {
  const events: Record<string, unknown>[] = [];
  let invalid = 0;
  const stats = readLogBackward(
    logFile,
    (record) => {
      // The log is in time order: the first older record ends the scan.
      if (q.sinceMs !== null && parseTs((record as { ts?: unknown }).ts) < q.sinceMs) return false;
      const kind = classifyRecord(record).kind;
      if (kind === 'invalid') invalid++;
      else if (kind === 'event' || kind === 'unknown_event') events.push(record as Record<string, unknown>);
      return events.length < q.limit;
    },
    { maxBytes: MAX_TAIL_BYTES },
  );
  return { events, skipped_lines: stats.skipped, invalid_records: invalid };
}
