// The --since / --until range: parsing the flags, and a cheap test of a line's ts before any JSON parse.
import { parseDuration } from '../config/duration.js';
import { formatTs } from '../core/format.js';

/** A time range in epoch ms; null ends are open. Both ends are inclusive. */
export interface TimeRange {
  sinceMs: number | null;
  untilMs: number | null;
}

/**
 * Parses a --since / --until value: a duration back from now (`24h`, `7d`, `90m`, `3600` seconds) or a
 * timestamp (`2025-10-21`, `2025-10-21T08:00:00Z`; UTC unless it names an offset). null when it is neither.
 */
export function parseTimeArg(value: string, nowMs: number): number | null {
  const text = value.trim();
  const duration = parseDuration(text);
  if (duration !== null) return nowMs - duration;
  if (!/^\d{4}-\d\d-\d\d([T ]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d:?\d\d)?$/i.test(text)) return null;
  const hasTime = /[T ]\d\d:/.test(text);
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(text) && hasTime;
  const ms = Date.parse(hasTime && !hasZone ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : null;
}

const TS_LEN = 27; // 2025-10-21T08:35:00.123456Z

/**
 * The top-level `ts` of a line written by this tool (`{"ts":"…"` or `{"event":"…","ts":"…"`) in the
 * log's exact format, without parsing the JSON; null when the line does not start that way.
 */
export function tsPrefix(line: string): string | null {
  let at: number;
  if (line.startsWith('{"ts":"')) at = 7;
  else if (line.startsWith('{"event":"')) {
    const q = line.indexOf('"', 10);
    if (q < 0 || !line.startsWith(',"ts":"', q + 1)) return null;
    at = q + 8;
  } else return null;
  // T, '.', Z and the closing quote where the format puts them.
  if (line.charCodeAt(at + 10) !== 0x54 || line.charCodeAt(at + 19) !== 0x2e || line.charCodeAt(at + 26) !== 0x5a || line.charCodeAt(at + 27) !== 0x22) return null;
  return line.slice(at, at + TS_LEN);
}

/** The range's ends in the log's ts format, so a line's ts compares as text. */
export function rangeText(range: TimeRange): { since: string | null; until: string | null } {
  return {
    since: range.sinceMs === null ? null : formatTs(range.sinceMs),
    until: range.untilMs === null ? null : formatTs(range.untilMs),
  };
}

/** True when epoch ms `t` is inside the range. */
export function inRange(t: number, range: TimeRange): boolean {
  return (range.sinceMs === null || t >= range.sinceMs) && (range.untilMs === null || t <= range.untilMs);
}
