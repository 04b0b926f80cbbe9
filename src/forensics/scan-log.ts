// Reads the log's files oldest first, keeps the records inside the range and feeds them to the pure
// accumulator. A line whose ts prefix is out of range is dropped before any JSON parse.
import { readLines } from './line-source.js';
import { reportStats, type ReportFigures, type ReportStatsOptions } from './report-stats.js';
import type { LogFile } from './rotated-files.js';
import { inRange, rangeText, tsPrefix, type TimeRange } from './time-range.js';
import { tsParser } from './ts-ms.js';

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
}

function parseObject(line: string): Record<string, unknown> | null | 'empty' {
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return line.trim() === '' ? 'empty' : null;
  }
}

/** Scans the files (oldest first) and returns the report's figures. */
export async function scanLog(files: LogFile[], opts: ScanOptions): Promise<LogScan> {
  const stats = reportStats(opts);
  const parseTs = tsParser();
  const { since, until } = rangeText(opts.range);
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  const scans: FileScan[] = [];
  let readBytes = 0;
  let untimed = 0;
  for (const file of files) {
    const scan: FileScan = { path: file.path, gzip: file.gzip, bytes: file.bytes, lines: 0, skipped: 0, error: null };
    const onLine = (line: string): void => {
      const prefix = tsPrefix(line);
      if (prefix !== null && ((since !== null && prefix < since) || (until !== null && prefix > until))) {
        scan.lines++;
        return;
      }
      const rec = parseObject(line);
      if (rec === 'empty') return;
      scan.lines++;
      if (rec === null) {
        scan.skipped++;
        return;
      }
      const tsMs = parseTs(rec.ts);
      if (!Number.isFinite(tsMs)) {
        untimed++;
        return;
      }
      if (prefix === null && !inRange(tsMs, opts.range)) return;
      stats.add(rec, rec.ts as string, tsMs);
    };
    const result = await readLines(file, onLine, (n) => {
      readBytes += n;
      opts.onProgress?.(readBytes, total);
    });
    scan.error = result.error;
    scans.push(scan);
  }
  const skippedLines = scans.reduce((sum, s) => sum + s.skipped, 0);
  return { figures: stats.result(), files: scans, skippedLines, untimed, range: opts.range };
}
