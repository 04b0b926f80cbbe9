// Fast ts → epoch ms for the log's own format (2025-10-21T08:35:00.123456Z): the hour is parsed once
// and cached, the rest is read digit by digit. Anything else goes through parseTs, with the same result.
import { parseTs } from '../core/format.js';

const ZERO = 0x30;

// The two-digit number at i, or -1 when it is not two digits.
function two(ts: string, i: number): number {
  const a = ts.charCodeAt(i) - ZERO;
  const b = ts.charCodeAt(i + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function micros(ts: string): number {
  let v = 0;
  for (let i = 20; i < 26; i++) {
    const d = ts.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Creates a parser with its own one-hour cache; returns NaN for what is not a timestamp, like parseTs. */
export function tsParser(): (ts: unknown) => number {
  let hour = '';
  let hourMs = Number.NaN;
  return (ts) => {
    if (typeof ts !== 'string' || ts.length !== 27 || ts.charCodeAt(16) !== 0x3a || ts.charCodeAt(19) !== 0x2e || ts.charCodeAt(26) !== 0x5a) return parseTs(ts);
    const mm = two(ts, 14);
    const ss = two(ts, 17);
    const us = micros(ts);
    if (mm < 0 || mm > 59 || ss < 0 || ss > 59 || us < 0) return parseTs(ts);
    if (!ts.startsWith(hour) || hour === '') {
      hour = ts.slice(0, 14); // 2025-10-21T08:
      hourMs = Date.parse(`${hour}00:00Z`);
    }
    return hourMs + mm * 60_000 + ss * 1000 + us / 1000;
  };
}
