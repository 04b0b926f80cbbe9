// The report's figures, accumulated record by record in log order. Pure (no I/O, no clock) and in
// fixed memory: counters, a quantile sketch, a bounded top-k, the latest incidents.
import { incidentTracker, type IncidentSummary } from './incidents.js';
import { quantileSketch, type Percentiles } from './percentiles.js';
import { topScores, type ScoredCheck } from './top-scores.js';
import { stretchTracker, type UnhealthyStretch } from './unhealthy-stretch.js';

/** Everything `report` says about a range of the log. */
export interface ReportFigures {
  span: { first: string | null; last: string | null; firstMs: number | null; lastMs: number | null };
  records: number;
  checks: number;
  okChecks: number;
  /** Share of checks with lat.ok true (0–1), null without checks. */
  availability: number | null;
  longestUnhealthy: UnhealthyStretch | null;
  /** Over the ok checks. */
  latency: Percentiles;
  triggers: Record<string, number>;
  warnings: Record<string, number>;
  heals: { ok: number; failed: number; timedOut: number; aborted: number };
  suppressed: Record<string, number>;
  verify: { recovered: number; notRecovered: number };
  incidents: IncidentSummary;
  topAnomalies: ScoredCheck[];
  cycleTimeouts: number;
  budgetExhausted: number;
  alerts: { ok: number; failed: number };
}

/** Options of the accumulator. */
export interface ReportStatsOptions {
  /** How many top-scored checks to keep (default 10). */
  top?: number;
  /** How many of the latest incidents to keep in detail (default 100). */
  incidents?: number;
}

/** The accumulator: add each record in log order with its parsed ts, then read the figures. */
export interface ReportStats {
  add(record: Record<string, unknown>, ts: string, tsMs: number): void;
  result(): ReportFigures;
}

/** The reason type of a reason string: the text before ` (`, e.g. `latency_anomaly_3sigma`. */
export function reasonType(reason: string): string {
  const cut = reason.indexOf(' (');
  return (cut < 0 ? reason : reason.slice(0, cut)).trim();
}

const reasonTypes = (value: unknown): string[] => (Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string').map(reasonType) : []);
const bump = (m: Map<string, number>, key: string): void => {
  m.set(key, (m.get(key) ?? 0) + 1);
};

// Counts as an object, the largest first (then by name), so the output is stable.
const sortedCounts = (m: Map<string, number>): Record<string, number> =>
  Object.fromEntries([...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));

function healOutcome(rec: Record<string, unknown>): keyof ReportFigures['heals'] {
  if (rec.aborted === true) return 'aborted';
  if (rec.timed_out === true) return 'timedOut';
  return rec.exit_code === 0 && !rec.error ? 'ok' : 'failed';
}

/** Creates an empty accumulator. */
export function reportStats(opts: ReportStatsOptions = {}): ReportStats {
  const span: ReportFigures['span'] = { first: null, last: null, firstMs: null, lastMs: null };
  const counts = { records: 0, checks: 0, okChecks: 0, cycleTimeouts: 0, budgetExhausted: 0 };
  const heals = { ok: 0, failed: 0, timedOut: 0, aborted: 0 };
  const verify = { recovered: 0, notRecovered: 0 };
  const alerts = { ok: 0, failed: 0 };
  const maps = { triggers: new Map<string, number>(), warnings: new Map<string, number>(), suppressed: new Map<string, number>() };
  const latency = quantileSketch();
  const top = topScores(opts.top ?? 10);
  const incidents = incidentTracker(opts.incidents ?? 100);
  const stretches = stretchTracker();

  const addCheck = (rec: Record<string, unknown>, ts: string, tsMs: number): void => {
    const lat = rec.lat as Record<string, unknown>;
    const ok = lat.ok === true;
    counts.checks++;
    if (ok) counts.okChecks++;
    if (ok && typeof lat.latency_ms === 'number') latency.add(lat.latency_ms);
    stretches.check(ts, tsMs, ok);
    const findings = reasonTypes(rec.reasons);
    if (!ok && findings.length === 0) findings.push('health_unhealthy'); // a log without `reasons` (the seed's)
    if (findings.length > 0) incidents.finding(ts, tsMs, findings);
    else incidents.clear(ts, tsMs);
    if (typeof rec.score === 'number') top.offer({ ts, score: rec.score, latencyMs: typeof lat.latency_ms === 'number' ? lat.latency_ms : Number.NaN });
  };

  const addEvent = (rec: Record<string, unknown>, ts: string, tsMs: number): void => {
    switch (rec.event) {
      case 'anomaly_trigger':
      case 'resource_warning': {
        const types = reasonTypes(rec.reasons);
        for (const t of types) bump(rec.event === 'anomaly_trigger' ? maps.triggers : maps.warnings, t);
        incidents.finding(ts, tsMs, types);
        return;
      }
      case 'self_heal':
        heals[healOutcome(rec)]++;
        incidents.heal();
        return;
      case 'heal_suppressed':
        bump(maps.suppressed, typeof rec.why === 'string' ? rec.why : 'unknown');
        return;
      case 'heal_verify':
        if (rec.recovered === true) verify.recovered++;
        else verify.notRecovered++;
        return;
      case 'recovered':
        incidents.clear(ts, tsMs);
        return;
      case 'cycle_timeout':
        counts.cycleTimeouts++;
        return;
      case 'heal_budget_exhausted':
        counts.budgetExhausted++;
        return;
      case 'alert_sent':
        if (rec.ok === true) alerts.ok++;
        else alerts.failed++;
    }
  };

  return {
    add(rec, ts, tsMs) {
      counts.records++;
      if (span.firstMs === null || tsMs < span.firstMs) Object.assign(span, { first: ts, firstMs: tsMs });
      if (span.lastMs === null || tsMs > span.lastMs) Object.assign(span, { last: ts, lastMs: tsMs });
      if (rec.event === undefined && typeof rec.lat === 'object' && rec.lat !== null) addCheck(rec, ts, tsMs);
      else if (typeof rec.event === 'string') addEvent(rec, ts, tsMs);
    },
    result: () => ({
      span: { ...span },
      ...counts,
      availability: counts.checks === 0 ? null : counts.okChecks / counts.checks,
      longestUnhealthy: stretches.longest(),
      latency: latency.summary(),
      triggers: sortedCounts(maps.triggers),
      warnings: sortedCounts(maps.warnings),
      heals: { ...heals },
      suppressed: sortedCounts(maps.suppressed),
      verify: { ...verify },
      incidents: incidents.summary(),
      topAnomalies: top.result(),
      alerts: { ...alerts },
    }),
  };
}
