// Reads the log's files oldest first, keeps the records inside the range and feeds them to the pure
// accumulator. A line whose ts prefix is out of range is dropped before it is read any further.
import { readRecords } from './record-reader.js';
import { reportStats, type ReportFigures, type ReportStatsOptions } from './report-stats.js';
import type { LogFile } from './rotated-files.js';
import type { TimeRange } from './time-range.js';

/** What was read from one file. */
export interface FileScan {
  path: string;
  gzip: boolean;
  bytes: number;
  /** Non-empty lines. */
  lines: number;
  /** Lines in range (or without a readable ts) that were not a JSON object. */
  skipped: number;
  /** Why the file was not read to its end (a truncated gzip file…), else null. */
  error: string | null;
}

/** The report's figures and what it took to compute them. */
export interface LogScan {
  figures: ReportFigures;
  files: FileScan[];
  skippedLines: number;
  /** JSON objects without a readable `ts`: not placed in time, so not counted. */
  untimed: number;
  range: TimeRange;
}

/** Scan options: the range, a progress callback (bytes read so far, total) and the accumulator's sizes. */
export interface ScanOptions extends ReportStatsOptions {
  range: TimeRange;
  onProgress?: (readBytes: number, totalBytes: number) => void;
  /** false: every line through JSON.parse (the reference of the tests). */
  fast?: boolean;
}

/** Offsets of file i's lines in a scan start at i * FILE_POS (CheckView.pos). */
export const FILE_POS = 2 ** 40;

/** Scans the files (oldest first) and returns the report's figures. */
export async function scanLog(files: LogFile[], opts: ScanOptions): Promise<LogScan> {
  const stats = reportStats(opts);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  const scans: FileScan[] = [];
  let readBytes = 0;
  const onBytes = (n: number): void => {
    readBytes += n;
    opts.onProgress?.(readBytes, total);
  };
  for (const [i, file] of files.entries()) {
    const r = await readRecords({ file, start: 0, end: null, pos: i * FILE_POS }, { range: opts.range, fast: opts.fast, onBytes }, stats);
    scans.push({ path: file.path, gzip: file.gzip, bytes: file.bytes, lines: r.lines, skipped: r.skipped, error: r.error });
  }
  const skippedLines = scans.reduce((sum, s) => sum + s.skipped, 0);
  return { figures: stats.result(), files: scans, skippedLines, untimed: stats.untimed(), range: opts.range };
}
