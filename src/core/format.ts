// Pure formatting of the record fields: timestamps and the contract's rounding rules.

/** ISO 8601 UTC with microseconds, e.g. 2025-10-21T08:35:00.123456Z, from epoch milliseconds. */
export function formatTs(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const micros = Math.min(999, Math.max(0, Math.round((epochMs - wholeMs) * 1000)));
  const iso = new Date(wholeMs).toISOString(); // 2025-10-21T08:35:00.123Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** Parses a record `ts` back to epoch milliseconds (NaN when it is not a timestamp). */
export function parseTs(ts: unknown): number {
  if (typeof ts !== 'string') return Number.NaN;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) return Date.parse(ts);
  const frac = (m[2] ?? '').padEnd(6, '0');
  return Date.parse(`${m[1]}Z`) + Number(frac.slice(0, 6)) / 1000;
}

function roundTo(value: number, digits: number): number {
  const f = 10 ** digits;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** Percentages are rounded to 0.1. */
export const roundPct = (v: number): number => roundTo(v, 1);
/** Milliseconds are rounded to 0.001. */
export const roundMs = (v: number): number => roundTo(v, 3);
/** Scores are rounded to 0.01. */
export const roundScore = (v: number): number => roundTo(v, 2);

/** Rounds when a value is present, keeps null. */
export function roundOrNull(v: number | null, round: (x: number) => number): number | null {
  return v === null ? null : round(v);
}

/** Formats a number without trailing zeros (3 → "3", 2.5 → "2.5"). */
export function plainNumber(n: number): string {
  return String(Number(n.toFixed(6)));
}
