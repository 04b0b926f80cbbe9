// A `timestamp,value` series as CSV (NAB's format): the header, each row, and the timestamps NAB and
// ISO 8601 write. Pure: lines in, values or a problem naming the line out.

/** One parsed row; the texts are kept so that an output can echo the input exactly. */
export interface SeriesRow {
  tsText: string;
  valueText: string;
  tsMs: number;
  value: number;
}

/** A row, or what is wrong with it. */
export type RowResult = { ok: true; row: SeriesRow } | { ok: false; problem: string };

const TS = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?(Z|[+-]\d\d(?::?\d\d)?)?$/;

/** Epoch ms of `2014-04-10 07:15:00`, `2014-04-10 07:15:00.000000` or ISO 8601 (no zone = UTC); NaN otherwise. */
export function parseSeriesTimestamp(text: string): number {
  const m = TS.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const base = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const check = new Date(base);
  if (check.getUTCDate() !== Number(d) || check.getUTCHours() !== Number(h) || Number(mo) > 12) return Number.NaN; // 2014-02-30, 25:00
  const ms = frac ? Number(`0.${frac}`) * 1000 : 0;
  return base + ms - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0)) * 60_000;
}

const unquote = (field: string): string => {
  const t = field.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
};

/** Null when the first line is the `timestamp,value` header, else what is wrong with it. */
export function checkSeriesHeader(line: string): string | null {
  const cols = line.replace(/^\uFEFF/, '').split(',').map((c) => unquote(c).toLowerCase());
  if (cols.length === 2 && cols[0] === 'timestamp' && cols[1] === 'value') return null;
  return `the header is "${line.trim().slice(0, 60)}"; the first line must be exactly: timestamp,value`;
}

/** Parses one data row `timestamp,value`. */
export function parseSeriesRow(line: string): RowResult {
  const fields = line.split(',');
  if (fields.length !== 2) return { ok: false, problem: `has ${fields.length} fields; each row must be timestamp,value` };
  const tsText = unquote(fields[0] as string);
  const valueText = unquote(fields[1] as string);
  const tsMs = parseSeriesTimestamp(tsText);
  if (!Number.isFinite(tsMs)) return { ok: false, problem: `timestamp "${tsText.slice(0, 40)}" is not a date and time; use e.g. 2014-04-10 07:15:00 or 2014-04-10T07:15:00Z` };
  const value = valueText === '' ? Number.NaN : Number(valueText);
  if (!Number.isFinite(value)) return { ok: false, problem: `value "${valueText.slice(0, 40)}" is not a number` };
  return { ok: true, row: { tsText, valueText, tsMs, value } };
}
