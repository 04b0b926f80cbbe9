// The documented `report --json` shape: snake_case keys, milliseconds rounded to 0.001, stable order.
import { roundMs } from '../core/format.js';
import type { Incident } from './incidents.js';
import { SKETCH_RELATIVE_ERROR } from './percentiles.js';
import type { LogScan } from './scan-log.js';
import { rangeText } from './time-range.js';

const ms = (v: number | null): number | null => (v === null ? null : roundMs(v));

function incidentJson(i: Incident) {
  return {
    start: i.start,
    end: i.end,
    last_finding: i.lastFinding,
    duration_ms: i.durationMs,
    ttr_ms: i.recoveryMs,
    reason_types: i.reasonTypes,
    heals: i.heals,
    open: i.end === null,
  };
}

function latencyJson(f: LogScan['figures']) {
  const l = f.latency;
  return {
    p50: ms(l.p50),
    p95: ms(l.p95),
    p99: ms(l.p99),
    max: ms(l.max),
    samples: l.count,
    method: l.method,
    relative_error: l.method === 'exact' ? 0 : SKETCH_RELATIVE_ERROR,
  };
}

/** The report as a plain object for `--json`. */
export function reportJson(logFile: string, scan: LogScan) {
  const f = scan.figures;
  const u = f.longestUnhealthy;
  return {
    log_file: logFile,
    range: rangeText(scan.range),
    span: { first: f.span.first, last: f.span.last, duration_ms: f.span.firstMs === null || f.span.lastMs === null ? null : roundMs(f.span.lastMs - f.span.firstMs) },
    records: f.records,
    checks: f.checks,
    ok_checks: f.okChecks,
    availability: f.availability === null ? null : Math.round(f.availability * 1e6) / 1e6,
    longest_unhealthy: u === null ? null : { start: u.start, end: u.end, duration_ms: u.durationMs, checks: u.checks, ongoing: u.ongoing },
    latency_ms: latencyJson(f),
    triggers: f.triggers,
    warnings: f.warnings,
    heals: { ok: f.heals.ok, failed: f.heals.failed, timed_out: f.heals.timedOut, aborted: f.heals.aborted },
    suppressed: f.suppressed,
    verify: { recovered: f.verify.recovered, not_recovered: f.verify.notRecovered },
    incidents: f.incidents.latest.map(incidentJson),
    incidents_total: f.incidents.total,
    incidents_recovered: f.incidents.recovered,
    mttr_ms: f.incidents.mttrMs,
    top_anomalies: f.topAnomalies.map((a) => ({ ts: a.ts, score: a.score, latency_ms: Number.isFinite(a.latencyMs) ? a.latencyMs : null })),
    cycle_timeouts: f.cycleTimeouts,
    budget_exhausted: f.budgetExhausted,
    alerts: { ok: f.alerts.ok, failed: f.alerts.failed },
    skipped_lines: scan.skippedLines,
    untimed_records: scan.untimed,
    files: scan.files.map((s) => ({ path: s.path, gzip: s.gzip, bytes: s.bytes, lines: s.lines, skipped: s.skipped, error: s.error })),
  };
}

/** The `--json` shape's type. */
export type ReportJson = ReturnType<typeof reportJson>;
