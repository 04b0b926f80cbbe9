// How the dashboard writes times, durations and numbers (browser-local time, short units).

/** Epoch ms of a record timestamp (microsecond ISO strings parse to the millisecond). */
export function tsMs(ts: string | null | undefined): number {
  return typeof ts === 'string' ? Date.parse(ts) : Number.NaN;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** "14:03:07" for today, "Oct 21, 08:35" for an earlier day; a dash when missing. */
export function formatClock(ts: string | null | undefined, nowMs = Date.now()): string {
  const t = tsMs(ts);
  if (!Number.isFinite(t)) return '—';
  const sameDay = new Date(t).toDateString() === new Date(nowMs).toDateString();
  return (sameDay ? timeOfDay : dayAndTime).format(t);
}

/** A span of milliseconds as "850 ms", "12.4 s", "3m 20s", "2h 5m", "3d 4h". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
  const parts: [number, string][] = s < 3600 ? [[s / 60, 'm'], [s % 60, 's']] : s < 86_400 ? [[s / 3600, 'h'], [(s % 3600) / 60, 'm']] : [[s / 86_400, 'd'], [(s % 86_400) / 3600, 'h']];
  return parts.map(([v, unit]) => `${Math.floor(v)}${unit}`).join(' ');
}

/** "3 s ago", "5m 2s ago"; empty when the time is unknown. */
export function formatAgo(ts: string | null | undefined, nowMs = Date.now()): string {
  const t = tsMs(ts);
  if (!Number.isFinite(t)) return '';
  const s = Math.round((nowMs - t) / 1000);
  if (s < 1) return 'just now';
  return s < 60 ? `${s} s ago` : `${formatDuration(s * 1000)} ago`;
}

/** A latency: "45.2 ms", "1.24 s" past a second. */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A number with fixed decimals, or a dash. */
export function formatNumber(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}
