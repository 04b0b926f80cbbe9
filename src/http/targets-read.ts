// The read behind GET /api/targets, in the read worker: the daemon's rows as sent, the other targets' rows
// from their logs' tails (kept per log until it changes), and the last incident of a daemon row that has
// none from its log (once per log). Log reads stop at the request's time budget: the targets left over are
// `pending` rows (state UNKNOWN) and the next request goes on where this one stopped, so an overview of
// 10,000 targets answers in about the budget instead of outlasting the API's wait.
import type { TargetsRequest } from './log-reads.js';
import { overviewBody, type TargetRow, type TargetsBody } from './target-overview.js';
import { readTargetTail, rowFromTail, tailFactsCache, type TailTarget } from './target-tail.js';

/** How long one overview may spend reading logs (the rest comes with the next request). */
export const TARGETS_READ_BUDGET_MS = 2000;

/** A reader of overviews that keeps what it read between requests. */
export function targetsReader(): (req: TargetsRequest) => TargetsBody {
  const tails = tailFactsCache();
  // The newest trigger a log held before the daemon's own (read once per log, from its tail).
  const incidentInLog = new Map<string, TargetRow['last_incident']>();
  return (req) => {
    const deadline = performance.now() + (req.budgetMs ?? TARGETS_READ_BUDGET_MS);
    const mayRead = (): boolean => performance.now() < deadline;
    const known = req.memory.map(({ row, incidentLog }) => {
      if (incidentLog === null) return row;
      if (!incidentInLog.has(incidentLog) && mayRead()) incidentInLog.set(incidentLog, readTargetTail(incidentLog, req.nowMs).incident);
      return { ...row, last_incident: incidentInLog.get(incidentLog) ?? null };
    });
    const read = req.fromLog.map((t) => {
      const facts = tails(t.logFile, req.nowMs, mayRead());
      return facts === null ? pendingRow(t) : rowFromTail(t, facts, req.nowMs);
    });
    return overviewBody([...known, ...read], req.updatedAt);
  };
}

// A target whose log was not read yet.
function pendingRow(t: TailTarget): TargetRow {
  return { target: t.target, state: 'UNKNOWN', checked_at: null, latency_ms: null, latencies: [], failed: [], last_incident: null, heals_last_hour: 0, max_per_hour: t.maxPerHour, source: 'pending' };
}
