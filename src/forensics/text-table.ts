// Small text helpers of the human report: aligned columns, counts, sizes and spans of time.

/** Rows as aligned columns: 'r' right-aligns a column, anything else left-aligns; two spaces apart. */
export function alignTable(rows: string[][], align: string, indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => {
    const cells = row.map((cell, i) => (align[i] === 'r' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)));
    return `${indent}${cells.join('  ')}`.trimEnd();
  });
}

/** A count with thousands separators: 1,234,567. */
export const count = (n: number): string => n.toLocaleString('en-US');

/** A size in MB (or KB / B below 1 MB). */
export function size(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

/** A span of time for people: 0s, 250ms, 12.5s, 5m 02s, 3h 05m, 2d 04h. */
export function span(ms: number | null): string {
  if (ms === null) return '-';
  if (ms === 0) return '0s';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`;
  const two = (n: number): string => String(n).padStart(2, '0');
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${two(s % 60)}s`;
  const m = Math.round(ms / 60_000);
  if (m < 1440) return `${Math.floor(m / 60)}h ${two(m % 60)}m`;
  const h = Math.round(ms / 3_600_000);
  return `${Math.floor(h / 24)}d ${two(h % 24)}h`;
}

/** `a 3 · b 2` from a counts object, or `none`. */
export function countsLine(counts: Record<string, number>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${k} ${count(v)}`);
  return parts.length === 0 ? 'none' : parts.join(' · ');
}
