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
  const quick = plainTs(ts);
  if (quick === quick) return quick;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) return Date.parse(ts);
  const frac = (m[2] ?? '').padEnd(6, '0');
  return Date.parse(`${m[1]}Z`) + Number(frac.slice(0, 6)) / 1000;
}

// The day of the last plain ts read, and its epoch ms: a log's records share a few days.
let lastDay = -1;
let lastDayMs = Number.NaN;

const digitsAt = (ts: string, at: number, n: number): number => {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = ts.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
};

// parseTs of a ts in the log's own form (YYYY-MM-DDTHH:MM:SS, then .1 to 9 digits or none, then Z) without a regex
// or a Date.parse per line, to the same value; NaN for any other text (parseTs then reads it the general way).
function plainTs(ts: string): number {
  const len = ts.length;
  if (len < 20 || len > 30 || len === 21 || ts.charCodeAt(len - 1) !== 0x5a) return Number.NaN;
  if (ts.charCodeAt(4) !== 0x2d || ts.charCodeAt(7) !== 0x2d || ts.charCodeAt(10) !== 0x54 || ts.charCodeAt(13) !== 0x3a || ts.charCodeAt(16) !== 0x3a) return Number.NaN;
  if (len > 20 && ts.charCodeAt(19) !== 0x2e) return Number.NaN;
  const y = digitsAt(ts, 0, 4);
  const mo = digitsAt(ts, 5, 2);
  const d = digitsAt(ts, 8, 2);
  const h = digitsAt(ts, 11, 2);
  const m = digitsAt(ts, 14, 2);
  const s = digitsAt(ts, 17, 2);
  const frac = len > 20 ? digitsAt(ts, 20, Math.min(6, len - 21)) : 0;
  if (len > 27 && digitsAt(ts, 26, len - 27) < 0) return Number.NaN;
  if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59 || frac < 0) return Number.NaN;
  const day = y * 10000 + mo * 100 + d;
  if (day !== lastDay) {
    lastDayMs = Date.parse(`${ts.slice(0, 10)}T00:00:00Z`);
    lastDay = day;
  }
  if (lastDayMs !== lastDayMs) return Number.NaN;
  const scale = len >= 27 ? 1 : 10 ** (27 - len); // the digits padded to six, as parseTs does
  return lastDayMs + h * 3_600_000 + m * 60_000 + s * 1000 + (frac * scale) / 1000;
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
