// `report` of a guard with targets, as a table: one line per target, the least available first.
import type { ReportJson } from './report-json.js';

const pct = (a: number | null): string => (a === null ? '-' : `${(a * 100).toFixed(3)} %`);
const dur = (ms: number | null): string => (ms === null ? '-' : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : ms < 7_200_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 3_600_000).toFixed(1)} h`);
const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

/** The targets' reports as one table (each row a target's report, with its `target`). */
export function renderTargetsReport(reports: (ReportJson & { target?: string | null })[]): string {
  const rows = [...reports].sort((a, b) => (a.availability ?? 2) - (b.availability ?? 2));
  const head = ['target', 'availability', 'checks', 'longest outage', 'p95 latency', 'triggers', 'heals ok/failed', 'incidents', 'MTTR'];
  const cells = rows.map((r) => [
    r.target ?? '',
    pct(r.availability),
    String(r.checks),
    r.longest_unhealthy === null ? '-' : `${dur(r.longest_unhealthy.duration_ms)}${r.longest_unhealthy.ongoing ? ' (ongoing)' : ''}`,
    r.latency_ms.p95 === null ? '-' : `${r.latency_ms.p95.toFixed(1)} ms`,
    String(sum(r.triggers)),
    `${r.heals.ok}/${r.heals.failed + r.heals.timed_out + r.heals.aborted}`,
    String(r.incidents_total),
    dur(r.mttr_ms),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]): string => c.map((v, i) => (i === 0 ? v.padEnd(widths[i] as number) : v.padStart(widths[i] as number))).join('  ');
  return `${[line(head), ...cells.map(line)].join('\n')}\n`;
}
