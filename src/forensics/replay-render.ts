// Renders a replay: one line per setting, then each incident and the settings that caught it early. A
// window or sigma the detector does not read shows as "-" (null in --json): it has one row, and says so.
import { findDetector } from '../core/detectors/registry.js';
import { formatTs } from '../core/format.js';
import type { ReplayHistory } from './replay-read.js';
import type { ReplayRange, SettingResult } from './replay.js';
import { incidentsInRange } from './replay.js';

/** A replay's results with what they were computed from. */
export interface ReplayReport {
  logFile: string;
  history: ReplayHistory;
  range: ReplayRange;
  sinceText: string | null;
  results: SettingResult[];
  /** The index of the configured setting among results, or -1. */
  configured: number;
}

const reads = (r: SettingResult, setting: 'window' | 'sigma'): boolean => findDetector(r.detector)?.tunedBy.includes(setting) ?? true;
const valueOf = (r: SettingResult, setting: 'window' | 'sigma'): number | null => (reads(r, setting) ? r[setting] : null);
const label = (r: SettingResult): string => [r.detector, ...(['window', 'sigma'] as const).filter((s) => reads(r, s)).map((s) => `${s} ${r[s]}`)].join(' ');
const when = (ms: number): string => (Number.isFinite(ms) ? formatTs(ms) : '-');

function settingsTable(rep: ReplayReport): string {
  const rows = [['detector', 'window', 'sigma', 'triggers', 'heals', 'kept', 'caught early', 'missed']];
  rep.results.forEach((r, i) => {
    const caught = r.caught.filter(Boolean).length;
    const mark = i === rep.configured ? ' *' : '';
    rows.push([`${r.detector}${mark}`, `${valueOf(r, 'window') ?? '-'}`, `${valueOf(r, 'sigma') ?? '-'}`, `${r.triggers}`, `${r.heals}`, `${r.kept}/${r.recorded}`, `${caught}`, `${r.caught.length - caught}`]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

function incidentLines(rep: ReplayReport, limit = 20): string[] {
  const incidents = incidentsInRange(rep.history, rep.range);
  const lines = incidents.slice(0, limit).map((inc, k) => {
    const by = rep.results.filter((r) => r.caught[k]).map(label);
    return `  ${when(inc.tsMs)}  ${inc.checks} failed check${inc.checks === 1 ? '' : 's'}  ${by.length === 0 ? 'missed by every setting' : `caught early by: ${by.join('; ')}`}`;
  });
  if (incidents.length > limit) lines.push(`  … and ${incidents.length - limit} more (--json lists them all)`);
  return lines;
}

// Which detectors print "-": they do not read that setting, so other values were not tried.
function untunedNote(results: SettingResult[]): string[] {
  const byUnread = new Map<string, string[]>();
  for (const name of new Set(results.map((r) => r.detector))) {
    const unread = (['window', 'sigma'] as const).filter((s) => !(findDetector(name)?.tunedBy.includes(s) ?? true));
    if (unread.length > 0) byUnread.set(unread.join(' or '), [...(byUnread.get(unread.join(' or ')) ?? []), name]);
  }
  return [...byUnread].map(([unread, names]) => `- ${names.join(', ')} ${names.length === 1 ? 'does' : 'do'} not use ${unread}: one row each, whatever --window and --sigma list.`);
}

/** The human report. */
export function renderReplay(rep: ReplayReport): string {
  const h = rep.history;
  const incidents = incidentsInRange(h, rep.range).length;
  const recorded = rep.results[0]?.recorded ?? h.recorded.filter((r) => r.tsMs >= rep.range.sinceMs).length;
  return [
    `log ${rep.logFile}: ${h.checks} checks (${h.values.length} ok) from ${when(h.firstMs)} to ${when(h.lastMs)}${rep.sinceText ? `; counting since ${rep.sinceText} ago (${when(rep.range.sinceMs)})` : ''}`,
    `recorded: ${recorded} latency trigger${recorded === 1 ? '' : 's'}, ${incidents} incident${incidents === 1 ? '' : 's'} (checks whose probe failed)`,
    '',
    settingsTable(rep),
    '',
    `triggers: latency anomaly_trigger records the setting would have logged; heals: of those, heals the budget lets run;`,
    `kept: recorded latency triggers it fires too (same check); caught early: a latency trigger in the ${rep.range.lead} checks before an incident.`,
    ...(rep.configured >= 0 ? ['* the configured setting'] : []),
    ...untunedNote(rep.results),
    ...(incidents > 0 ? ['', 'incidents:', ...incidentLines(rep)] : []),
  ].join('\n');
}

/** The --json form. */
export function replayJson(rep: ReplayReport): object {
  const h = rep.history;
  return {
    log_file: rep.logFile,
    checks: h.checks,
    ok_checks: h.values.length,
    since: rep.sinceText === null ? null : formatTs(rep.range.sinceMs),
    lead: rep.range.lead,
    recorded_latency_triggers: h.recorded.filter((r) => r.tsMs >= rep.range.sinceMs).length,
    incidents: incidentsInRange(h, rep.range).map((inc) => ({ ts: when(inc.tsMs), checks: inc.checks })),
    settings: rep.results.map((r, i) => ({
      detector: r.detector,
      window: valueOf(r, 'window'),
      sigma: valueOf(r, 'sigma'),
      configured: i === rep.configured,
      triggers: r.triggers,
      heals: r.heals,
      kept: r.kept,
      recorded: r.recorded,
      caught: r.caught.filter(Boolean).length,
      missed: r.caught.filter((c) => !c).length,
      incidents_caught: r.caught,
    })),
    skipped_lines: h.skipped,
  };
}
