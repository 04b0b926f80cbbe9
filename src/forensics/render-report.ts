// The human report: a header of labelled lines, then aligned tables (triggers, incidents, top
// anomalies, files). Rendered from the --json object, so both outputs always agree.
import { SKETCH_RELATIVE_ERROR } from './percentiles.js';
import type { ReportJson } from './report-json.js';
import { alignTable, count, countsLine, size, span } from './text-table.js';

const LABEL = 14;
const INCIDENTS_SHOWN = 10;
const line = (label: string, text: string): string => `${label.padEnd(LABEL)}${text}`;
const msText = (v: number | null): string => (v === null ? '-' : `${v.toFixed(1)} ms`);

function rangeLine(r: ReportJson): string {
  if (r.range.since === null && r.range.until === null) return 'everything in the log';
  return [r.range.since && `since ${r.range.since}`, r.range.until && `until ${r.range.until}`].filter(Boolean).join(' ');
}

function availabilityLines(r: ReportJson): string[] {
  if (r.availability === null) return [line('availability', 'no checks in range')];
  const failed = r.checks - r.ok_checks;
  const u = r.longest_unhealthy;
  const longest = u === null ? 'none' : `${count(u.checks)} failed check${u.checks === 1 ? '' : 's'}, ${u.start} → ${u.end} (${span(u.duration_ms)}${u.ongoing ? ', still unhealthy' : ''})`;
  return [line('availability', `${(r.availability * 100).toFixed(3)} %  (${count(failed)} of ${count(r.checks)} checks failed)`), line('longest down', longest)];
}

function latencyLine(r: ReportJson): string {
  const l = r.latency_ms;
  if (l.samples === 0) return line('latency', 'no ok checks in range');
  const how = l.method === 'exact' ? 'exact' : `log-bucketed sketch, within ${SKETCH_RELATIVE_ERROR * 100} % of the true value`;
  return line('latency', `p50 ${msText(l.p50)}  p95 ${msText(l.p95)}  p99 ${msText(l.p99)}  max ${msText(l.max)}  over ${count(l.samples)} ok checks (${how})`);
}

function summaryLines(r: ReportJson): string[] {
  const h = r.heals;
  const healsRun = h.ok + h.failed + h.timed_out + h.aborted;
  const files = r.files.length;
  return [
    line('log', `${r.log_file}${files > 1 ? ` + ${files - 1} rotated file${files > 2 ? 's' : ''}` : ''} (${size(r.files.reduce((s, f) => s + f.bytes, 0))})`),
    line('range', rangeLine(r)),
    line('span', r.span.first === null ? 'no records in range' : `${r.span.first} → ${r.span.last} (${span(r.span.duration_ms)}), ${count(r.records)} records, ${count(r.checks)} checks`),
    ...availabilityLines(r),
    latencyLine(r),
    line('heals', `${count(healsRun)} run: ${count(h.ok)} ok · ${count(h.failed)} failed · ${count(h.timed_out)} timed out · ${count(h.aborted)} aborted`),
    line('verified', `${count(r.verify.recovered)} recovered · ${count(r.verify.not_recovered)} not recovered`),
    line('suppressed', countsLine(r.suppressed)),
    line('other', `${count(r.cycle_timeouts)} cycle timeouts · ${count(r.budget_exhausted)} heal budgets exhausted · alerts ${count(r.alerts.ok)} sent, ${count(r.alerts.failed)} failed`),
    line('unreadable', `${count(r.skipped_lines)} line${r.skipped_lines === 1 ? '' : 's'} skipped (not JSON)${r.untimed_records > 0 ? `; ${count(r.untimed_records)} records without a ts ignored` : ''}`),
  ];
}

function countsTable(title: string, counts: Record<string, number>): string[] {
  const rows = Object.entries(counts).map(([k, v]) => [k, count(v)]);
  return rows.length === 0 ? [`${title}: none`] : [`${title}:`, ...alignTable(rows, 'lr')];
}

function incidentLines(r: ReportJson): string[] {
  const head = `incidents: ${count(r.incidents_total)}, ${count(r.incidents_recovered)} recovered, MTTR ${span(r.mttr_ms)}`;
  if (r.incidents.length === 0) return [head];
  const shown = r.incidents.slice(-INCIDENTS_SHOWN);
  const rows = shown.map((i) => [i.start, span(i.duration_ms), i.open ? 'open' : span(i.ttr_ms), String(i.heals), i.reason_types.slice(0, 3).join(', ')]);
  const more = r.incidents_total > shown.length ? ` (the latest ${shown.length}; --json lists up to ${r.incidents.length})` : '';
  return [`${head}${more}`, ...alignTable([['start', 'duration', 'to recovery', 'heals', 'reasons'], ...rows], 'lrrrl')];
}

function topLines(r: ReportJson): string[] {
  if (r.top_anomalies.length === 0) return ['top anomalies by score: none'];
  const rows = r.top_anomalies.map((a) => [a.ts, a.score.toFixed(2), msText(a.latency_ms)]);
  return ['top anomalies by score:', ...alignTable([['ts', 'score', 'latency'], ...rows], 'lrr')];
}

function fileLines(r: ReportJson): string[] {
  const rows = r.files.map((f) => [f.path, size(f.bytes), `${count(f.lines)} lines`, `${count(f.skipped)} skipped`, f.error ? `error: ${f.error}` : '']);
  return ['files read (oldest first):', ...alignTable(rows, 'lrrrl')];
}

/** The report as text for people: one or two screens. */
export function renderReport(r: ReportJson): string {
  const blocks = [
    summaryLines(r),
    countsTable('triggers by reason type', r.triggers),
    countsTable('warnings by reason type', r.warnings),
    incidentLines(r),
    topLines(r),
    fileLines(r),
  ];
  return `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
}
