// The report's figures, accumulated record by record in log order. Pure (no I/O, no clock) and in
// fixed memory: counters, a quantile sketch, a bounded top-k, the latest incidents. The state of one
// part of the log merges with the next part's, so threads can read parts and one figure comes out.
import { reasonType } from '../core/kinds.js';
import { CheckLine, SLOT } from './check-line.js';
import { isCheckObject, type TimePoint } from './check-view.js';
import { incidentSummaryOf, incidentTracker, mergeIncidents, type IncidentState, type IncidentSummary } from './incidents.js';
import type { RecordSink } from './line-handler.js';
import { quantileSketch, type Percentiles, type SketchState } from './percentiles.js';
import { spanTracker, type KeptPoint, type Span } from './span-tracker.js';
import { topScores, type RankedCheck, type ScoredCheck } from './top-scores.js';
import { longestOf, mergeStretches, stretchTracker, type StretchState, type UnhealthyStretch } from './unhealthy-stretch.js';

/** Everything `report` says about a range of the log. */
export interface ReportFigures {
  span: Span;
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

/** What an accumulator holds: plain data that a worker thread can post. */
export interface ReportState {
  span: Span;
  counts: { records: number; checks: number; okChecks: number; cycleTimeouts: number; budgetExhausted: number; untimed: number };
  heals: ReportFigures['heals'];
  verify: ReportFigures['verify'];
  alerts: ReportFigures['alerts'];
  triggers: Map<string, number>;
  warnings: Map<string, number>;
  suppressed: Map<string, number>;
  latency: SketchState;
  top: RankedCheck[];
  incidents: IncidentState;
  stretches: StretchState;
}

/** The accumulator: fed each record in log order (a sink of the log reader), then asked for the figures. */
export interface ReportStats extends RecordSink {
  /** Adds a parsed record with its parsed ts. */
  add(record: Record<string, unknown>, ts: string, tsMs: number): void;
  /** Records whose ts is not a time: not placed in time, so not counted. */
  untimed(): number;
  state(): ReportState;
  /** Adds the state of the part of the log that follows what was added so far. */
  merge(next: ReportState): void;
  result(): ReportFigures;
}

/** The reason type of a reason string (core/kinds.ts: written and read back in one place). */
export { reasonType };
const UNHEALTHY: readonly string[] = ['health_unhealthy'];
const reasonTypes = (value: unknown): string[] => (Array.isArray(value) ? value.filter((r): r is string => typeof r === 'string').map(reasonType) : []);
const bump = (m: Map<string, number>, key: string, n = 1): void => {
  m.set(key, (m.get(key) ?? 0) + n);
};
const addCounts = (to: Record<string, number>, from: Record<string, number>): void => {
  for (const key of Object.keys(to)) to[key] = (to[key] ?? 0) + (from[key] ?? 0);
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
  const counts = { records: 0, checks: 0, okChecks: 0, cycleTimeouts: 0, budgetExhausted: 0, untimed: 0 };
  const heals = { ok: 0, failed: 0, timedOut: 0, aborted: 0 };
  const verify = { recovered: 0, notRecovered: 0 };
  const alerts = { ok: 0, failed: 0 };
  const maps = { triggers: new Map<string, number>(), warnings: new Map<string, number>(), suppressed: new Map<string, number>() };
  const latency = quantileSketch();
  const top = topScores(opts.top ?? 10);
  let incidents = incidentTracker(opts.incidents ?? 100);
  let stretches = stretchTracker();

  const span = spanTracker();
  const timed = (at: KeptPoint): void => {
    counts.records++;
    span.at(at);
  };

  // Numbers are read from c.f (NaN: none), not through the getters: no number is boxed per check.
  const check = (c: CheckLine): void => {
    if (!Number.isFinite(c.tsMs)) {
      counts.untimed++;
      return;
    }
    timed(c);
    const ok = c.okCode === 1;
    counts.checks++;
    if (ok) counts.okChecks++;
    if (ok) latency.addFrom(c.f, SLOT.latency);
    stretches.check(c, ok);
    // A failed probe in a log without `reasons` (the seed's) is a finding too.
    const findings = c.reasons.length > 0 ? c.reasons.map(reasonType) : ok ? null : UNHEALTHY;
    if (findings !== null) incidents.finding(c, findings);
    else incidents.clear(c);
    top.offerCheck(c);
  };

  const event = (rec: Record<string, unknown>, at: TimePoint): void => {
    switch (rec.event) {
      case 'anomaly_trigger':
      case 'resource_warning': {
        const types = reasonTypes(rec.reasons);
        for (const t of types) bump(rec.event === 'anomaly_trigger' ? maps.triggers : maps.warnings, t);
        incidents.finding(at, types);
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
        incidents.clear(at);
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

  const record = (rec: Record<string, unknown>, tsMs: number): void => {
    if (!Number.isFinite(tsMs)) {
      counts.untimed++;
      return;
    }
    const at = { ts: rec.ts as string, tsMs, tsUs: Number.NaN };
    timed(at);
    if (typeof rec.event === 'string') event(rec, at);
  };

  const state = (): ReportState => ({
    span: span.span(),
    counts: { ...counts },
    heals: { ...heals },
    verify: { ...verify },
    alerts: { ...alerts },
    ...maps,
    latency: latency.state(),
    top: top.state(),
    incidents: incidents.state(),
    stretches: stretches.state(),
  });

  return {
    check,
    record,
    add(rec, ts, tsMs) {
      if (isCheckObject(rec)) check(new CheckLine().fill({ ...rec, ts }, tsMs, counts.records));
      else record({ ...rec, ts }, tsMs);
    },
    untimed: () => counts.untimed,
    state,
    merge(next) {
      span.merge(next.span);
      addCounts(counts, next.counts);
      addCounts(heals, next.heals);
      addCounts(verify, next.verify);
      addCounts(alerts, next.alerts);
      for (const key of ['triggers', 'warnings', 'suppressed'] as const) next[key].forEach((n, k) => bump(maps[key], k, n));
      latency.merge(next.latency);
      for (const item of next.top) top.offer(item, item.seq);
      incidents = incidentTracker(next.incidents.keep, mergeIncidents(incidents.state(), next.incidents));
      stretches = stretchTracker(mergeStretches(stretches.state(), next.stretches));
    },
    result: () => figuresOf(state(), latency.summary(), top.result()),
  };
}

function figuresOf(s: ReportState, latency: Percentiles, topAnomalies: ScoredCheck[]): ReportFigures {
  return {
    span: s.span,
    records: s.counts.records,
    checks: s.counts.checks,
    okChecks: s.counts.okChecks,
    availability: s.counts.checks === 0 ? null : s.counts.okChecks / s.counts.checks,
    longestUnhealthy: longestOf(s.stretches),
    latency,
    triggers: sortedCounts(s.triggers),
    warnings: sortedCounts(s.warnings),
    heals: s.heals,
    suppressed: sortedCounts(s.suppressed),
    verify: s.verify,
    incidents: incidentSummaryOf(s.incidents),
    topAnomalies,
    cycleTimeouts: s.counts.cycleTimeouts,
    budgetExhausted: s.counts.budgetExhausted,
    alerts: s.alerts,
  };
}
