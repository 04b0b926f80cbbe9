// What the log reader does with each line: a check record in the log's own compact form is skimmed from
// its bytes; any other line (events, foreign or hand-edited lines, torn lines) is decoded and goes through
// the JSON.parse path, with the same range test, counters and record shapes as before the fast path.
import { CheckLine } from './check-line.js';
import { isCheckObject } from './check-view.js';
import { skimCheck } from './check-skim.js';
import { inRange, rangeText, tsPrefix, type TimeRange } from './time-range.js';
import { ASK_TEXT, compareTs, tsPrefixAt } from './ts-bytes.js';
import { tsParser } from './ts-ms.js';

/** Receives the records of a scan in log order; a record whose ts is not a time has tsMs NaN. */
export interface RecordSink {
  /** A check record, as a view (its numbers also unboxed in c.f): valid during the call only. */
  check(c: CheckLine): void;
  /** Any other JSON object: events, and objects that are neither. */
  record(rec: Record<string, unknown>, tsMs: number): void;
}

/** Parses one line: an object, null when it is not a JSON object, 'empty' for a blank line. */
export type LineParse = (line: string) => Record<string, unknown> | null | 'empty';

/** `report`'s reading of a line: JSON.parse, blank lines ignored. */
export const parseObjectLine: LineParse = (line) => {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return line.trim() === '' ? 'empty' : null;
  }
};

/** How lines are read: the range, the parse of declined lines, and whether the fast path runs at all. */
export interface LineOptions {
  range: TimeRange;
  parse?: LineParse;
  /** false: every line goes through `parse` (the reference the fast path is tested against). */
  fast?: boolean;
}

/** Counters of one read. */
export interface LineCounts {
  /** Non-empty lines. */
  lines: number;
  /** Lines in range (or without a readable ts) that were not a JSON object. */
  skipped: number;
}

/** A handler for the lines of one file: feed it whole lines; `pos` places a line in the scan. */
export function lineHandler(opts: LineOptions, sink: RecordSink) {
  const counts: LineCounts = { lines: 0, skipped: 0 };
  const parse = opts.parse ?? parseObjectLine;
  const fast = opts.fast !== false;
  const { since, until } = rangeText(opts.range);
  const ranged = since !== null || until !== null;
  const view = new CheckLine();
  const parsed = new CheckLine();
  const tsOfText = tsParser();
  const outside = (b: Uint8Array, at: number): boolean => (since !== null && compareTs(b, at, since) < 0) || (until !== null && compareTs(b, at, until) > 0);

  const text = (line: string, pos: number): void => {
    const prefix = ranged ? tsPrefix(line) : null;
    if (prefix !== null && ((since !== null && prefix < since) || (until !== null && prefix > until))) {
      counts.lines++;
      return;
    }
    const rec = parse(line);
    if (rec === 'empty') return;
    counts.lines++;
    if (rec === null) {
      counts.skipped++;
      return;
    }
    const tsMs = tsOfText(rec.ts);
    if (Number.isFinite(tsMs) && prefix === null && !inRange(tsMs, opts.range)) return;
    if (isCheckObject(rec)) sink.check(parsed.fill(rec, tsMs, pos));
    else sink.record(rec, tsMs);
  };

  // The line at s skimmed into `view`; `prefixed`: its ts prefix was found in range.
  const skimmed = (b: Buffer, s: number, prefixed: boolean): void => {
    if (!view.tsRead) view.tsReader.read(b, view.tsStart, view.tsEnd, view);
    view.lineStart = s;
    counts.lines++;
    if (ranged && !prefixed && Number.isFinite(view.tsMs) && !inRange(view.tsMs, opts.range)) return;
    sink.check(view);
  };

  const rangedLine = (b: Buffer, s: number, e: number, base: number): void => {
    const at = tsPrefixAt(b, s, e);
    if (at === ASK_TEXT) text(b.toString('utf8', s, e), base + s);
    else if (at >= 0 && outside(b, at)) counts.lines++;
    else if (fast && skimCheck(b, s, view) === e) skimmed(b, s, at >= 0);
    else text(b.toString('utf8', s, e), base + s);
  };

  return {
    counts,
    /** Handles the whole lines in b[s, lim) (b[lim] is writable); returns where the unfinished last line starts. */
    lines(b: Buffer, s: number, lim: number, base: number): number {
      b[lim] = 0; // stops the skimmer at the end of the data
      view.posBase = base;
      while (s < lim) {
        let e = ranged || !fast ? -1 : skimCheck(b, s, view);
        if (e >= 0) skimmed(b, s, false);
        else {
          e = b.indexOf(0x0a, s);
          if (e < 0 || e >= lim) return s;
          if (ranged) rangedLine(b, s, e, base);
          else text(b.toString('utf8', s, e), base + s);
        }
        s = e + 1;
      }
      return s;
    },
    /** A line given as text: the last one without '\n', or the stand-in for one too long to keep. */
    text,
  };
}
