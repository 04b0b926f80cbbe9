// The log reads behind /api/series, /api/events, /api/status and /api/targets, in one place: a request in, the JSON
// body out. The read worker (read-worker.ts) runs them off the daemon's thread; tests run them in-process.
// A request is plain data (it crosses to the worker by structured clone); the answer is UTF-8 JSON bytes.
import type { SummarySettings } from '../core/tail-summary.js';
import { readTailSummary } from '../cycle/read-summary.js';
import { readEvents, type EventsQuery } from './api-events.js';
import { readSeries, type RangeName } from './api-series.js';
import { statusFromLog, type StatusHead } from './api-status.js';
import { LAST_EVENTS_IN_LOG, lastEventsOf, type LastEvents } from './live.js';
import type { TargetRow } from './target-overview.js';
import type { TailTarget } from './target-tail.js';
import { targetsReader } from './targets-read.js';

/** One read of the log an API route needs. */
export type ReadRequest =
  | { kind: 'series'; logFile: string; range: RangeName; nowMs: number; sigma: number }
  | { kind: 'events'; logFile: string; query: EventsQuery }
  | { kind: 'status'; logFile: string; nowMs: number; settings: SummarySettings; head: StatusHead }
  | TargetsRequest;

/** The overview of a guard with targets: the rows the daemon knows (`incidentLog`: the log to take the last
 * incident from, when the daemon saw none), and the targets whose rows come from their logs' tails. */
export interface TargetsRequest {
  kind: 'targets';
  /** The guard's log_file (the cache's identity; the rows' logs are their own). */
  logFile: string;
  nowMs: number;
  updatedAt: string;
  memory: { row: TargetRow; incidentLog: string | null }[];
  fromLog: TailTarget[];
  /** How long the read may spend reading logs (default TARGETS_READ_BUDGET_MS); the rest is `pending`. */
  budgetMs?: number;
}

/** Runs reads; keeps, per log file, the newest event of each kind the log held at its first status read. */
export interface LogReader {
  /** The body of the route, as a value. */
  body(req: ReadRequest): unknown;
  /** The body as UTF-8 JSON in a buffer of its own (transferable to another thread). */
  bytes(req: ReadRequest): Uint8Array;
}

/** Creates a reader. */
export function logReader(): LogReader {
  const lastInLog = new Map<string, LastEvents>();
  const overview = targetsReader();
  const body = (req: ReadRequest): unknown => {
    switch (req.kind) {
      case 'series':
        return readSeries(req.logFile, req.range, req.nowMs, req.sigma);
      case 'events':
        return readEvents(req.logFile, req.query);
      case 'status': {
        // The events are read once (as far back as they are, which may be far): later events of these kinds
        // are the daemon's own, and come with the head. Each status reads only as far as the baseline needs.
        let inLog = lastInLog.get(req.logFile);
        if (inLog === undefined) lastInLog.set(req.logFile, (inLog = lastEventsOf(readTailSummary(req.logFile, req.settings, req.nowMs, LAST_EVENTS_IN_LOG).last)));
        return statusFromLog(req.head, readTailSummary(req.logFile, req.settings, req.nowMs, []), inLog);
      }
      case 'targets':
        return overview(req);
    }
  };
  const encoder = new TextEncoder();
  return { body, bytes: (req) => encoder.encode(JSON.stringify(body(req))) };
}

/** What decides a request's answer while the log and the cycle count stay the same: the request
 * without its clock (two identical requests a moment apart share one read). */
export function readKey(req: ReadRequest): string {
  if (req.kind === 'status') return JSON.stringify([req.kind, req.logFile, req.settings, { ...req.head, updated_at: null }]);
  // Within one cycle count the daemon's memory stands still: the rows' names say which config they are of.
  // Rows from logs may be pending (the read's budget ran out): kept 2 s at most, so the next read goes on.
  if (req.kind === 'targets') {
    const fresh = req.fromLog.length > 0 ? Math.floor(req.nowMs / 2000) : 0;
    return JSON.stringify([req.kind, req.logFile, fresh, req.memory.map((m) => m.row.target), req.fromLog.map((t) => t.target)]);
  }
  if (req.kind === 'series') return JSON.stringify([req.kind, req.logFile, req.range, req.sigma]);
  return JSON.stringify([req.kind, req.logFile, req.query]);
}
