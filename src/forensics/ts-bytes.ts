// The ts of a log line read from its bytes, with the results of the string readers (tsParser, tsPrefix)
// they stand in for: a ts in the log's own ASCII format is read digit by digit with the hour cached,
// anything else is decoded and handed to the string reader.
import { tsParser } from './ts-ms.js';

const ZERO = 0x30;
const DAY_LEN = 10; // 2025-10-21
const TS_LEN = 27; // 2025-10-21T08:35:00.123456Z

// The two-digit number at i, or -1.
function two(b: Uint8Array, i: number): number {
  const x = (b[i] as number) - ZERO;
  const y = (b[i + 1] as number) - ZERO;
  return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : -1;
}

function micros(b: Uint8Array, at: number): number {
  let v = 0;
  for (let i = at; i < at + 6; i++) {
    const d = (b[i] as number) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Where the ts reader puts its results. */
export interface TsOut {
  tsMs: number;
  /** See CheckView.tsUs. */
  tsUs: number;
}

// Whole µs since the epoch stay exact in a double up to 2^53 (years 1685–2255).
const MAX_EXACT_MS = 2 ** 53 / 1000;

// Days in each month of a common year.
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

// Days from 1970-01-01 to a day of the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
function daysFromCivil(y: number, m: number, d: number): number {
  const ya = m <= 2 ? y - 1 : y;
  const era = Math.floor(ya / 400);
  const yoe = ya - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * The day YYYY-MM-DD in the 10 bytes at s as epoch ms, or NaN unless it is the ISO form of a real day
 * (2025-02-30 is not: Date.parse would read it as 2 March) whose times stay exact in whole µs. Equal to
 * Date.parse of the day at 00:00Z wherever that is the day's own text (ts-bytes.test.ts), without
 * building a string.
 */
export function dayMsAt(b: Uint8Array, s: number): number {
  const hi = two(b, s);
  const lo = two(b, s + 2);
  const m = two(b, s + 5);
  const d = two(b, s + 8);
  if (b[s + 4] !== 0x2d || b[s + 7] !== 0x2d || hi < 0 || lo < 0 || m < 1 || m > 12 || d < 1) return Number.NaN;
  const y = hi * 100 + lo;
  if (d > (m === 2 && isLeap(y) ? 29 : (MONTH_DAYS[m - 1] as number))) return Number.NaN;
  const ms = daysFromCivil(y, m, d) * 86_400_000;
  return Math.abs(ms) < MAX_EXACT_MS - 86_400_000 ? ms : Number.NaN;
}

/** Reads ts bytes into TsOut. */
export interface TsBytesReader {
  /** Reads the 27 bytes at s when they are a ts in the log's own form; false (out untouched) when not. */
  canonical(b: Uint8Array, s: number, out: TsOut): boolean;
  /** Reads the ts bytes [s, e), whatever they hold. */
  read(b: Buffer, s: number, e: number, out: TsOut): void;
}

/**
 * Creates a reader of ts bytes into out, tsMs equal to tsParser's (NaN when it is not a time). The log's
 * own form (2025-10-21T08:35:00.123456Z) is read digit by digit: its day once (the hour added to it gives
 * what Date.parse gives for the hour: the ISO date and time are checked apart), anything else is decoded
 * and handed to tsParser. A canonical ts is all digits and `-T:.Z`: no quote, escape or line end.
 */
export function tsBytesParser(): TsBytesReader {
  const slow = tsParser();
  const day = new Uint8Array(DAY_LEN);
  let daySet = false;
  let dayMs = Number.NaN;
  const sameDay = (b: Uint8Array, s: number): boolean => {
    let i = 0;
    while (i < DAY_LEN && b[s + i] === day[i]) i++;
    return i === DAY_LEN && daySet;
  };
  // Other days than canonical ones are rare: never cached, always read by tsParser.
  const newDay = (b: Uint8Array, s: number): boolean => {
    for (let i = 0; i < DAY_LEN; i++) day[i] = b[s + i] as number;
    dayMs = dayMsAt(b, s);
    daySet = dayMs === dayMs;
    return daySet;
  };
  const canonical = (b: Uint8Array, s: number, out: TsOut): boolean => {
    if (b[s + 10] !== 0x54 || b[s + 13] !== 0x3a || b[s + 16] !== 0x3a || b[s + 19] !== 0x2e || b[s + 26] !== 0x5a) return false;
    const hh = two(b, s + 11);
    const mm = two(b, s + 14);
    const ss = two(b, s + 17);
    const us = micros(b, s + 20);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59 || us < 0 || (!sameDay(b, s) && !newDay(b, s))) return false;
    const secMs = dayMs + hh * 3_600_000 + mm * 60_000 + ss * 1000;
    out.tsMs = secMs + us / 1000;
    out.tsUs = secMs * 1000 + us;
    return true;
  };
  return {
    canonical,
    read(b, s, e, out) {
      if (e - s === TS_LEN && canonical(b, s, out)) return;
      out.tsMs = slow(b.toString('utf8', s, e));
      out.tsUs = Number.NaN;
    },
  };
}

/** The ts text of whole µs since the epoch (the inverse of CheckView.tsUs). */
export function tsTextOfUs(us: number): string {
  const frac = ((us % 1_000_000) + 1_000_000) % 1_000_000;
  const iso = new Date((us - frac) / 1000).toISOString(); // 2025-10-21T08:35:00.000Z
  return `${iso.slice(0, 20)}${String(frac).padStart(6, '0')}Z`;
}

const OPEN_TS = Buffer.from('{"ts":"');
const OPEN_EVENT = Buffer.from('{"event":"');
const THEN_TS = Buffer.from(',"ts":"');
/** tsPrefixAt: the line has no ts prefix. */
export const NO_PREFIX = -1;
/** tsPrefixAt: the prefix holds other than ASCII; ask tsPrefix on the decoded line. */
export const ASK_TEXT = -2;

function startsWith(b: Uint8Array, at: number, lim: number, word: Uint8Array): boolean {
  if (at + word.length > lim) return false;
  for (let i = 0; i < word.length; i++) if (b[at + i] !== word[i]) return false;
  return true;
}

/**
 * Where the ts of tsPrefix starts in the line at s (bytes before lim, the line's end or further), or
 * NO_PREFIX, or ASK_TEXT when a byte before the end of the prefix is not ASCII (character and byte
 * offsets would differ). A '\n' ends the line.
 */
export function tsPrefixAt(b: Uint8Array, s: number, lim: number): number {
  let at: number;
  if (startsWith(b, s, lim, OPEN_TS)) at = s + OPEN_TS.length;
  else if (startsWith(b, s, lim, OPEN_EVENT)) {
    let q = s + OPEN_EVENT.length;
    for (; q < lim && b[q] !== 0x22; q++) {
      if (b[q] === 0x0a) return NO_PREFIX;
      if ((b[q] as number) >= 0x80) return ASK_TEXT;
    }
    if (q >= lim || !startsWith(b, q + 1, lim, THEN_TS)) return NO_PREFIX;
    at = q + 1 + THEN_TS.length;
  } else return NO_PREFIX;
  for (let i = at; i < at + TS_LEN + 1; i++) {
    const c = b[i] as number;
    if (i >= lim || c === 0x0a) return NO_PREFIX;
    if (c >= 0x80) return ASK_TEXT;
  }
  return b[at + 10] === 0x54 && b[at + 19] === 0x2e && b[at + 26] === 0x5a && b[at + 27] === 0x22 ? at : NO_PREFIX;
}

/** Compares the 27 ts bytes at `at` with an ASCII ts text: <0, 0 or >0, as string comparison would. */
export function compareTs(b: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < TS_LEN; i++) {
    const d = (b[at + i] as number) - text.charCodeAt(i);
    if (d !== 0) return d;
  }
  return 0;
}
