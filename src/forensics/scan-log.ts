// Reads the log's files oldest first, keeps the records inside the range and feeds them to the pure
// accumulator: on this thread, or split into tasks read by worker threads whose figures are merged in
// log order (the same figures either way). A line whose ts prefix is out of range is not read further.
import type { ReadTask } from './record-reader.js';
import { reportStats, type ReportFigures } from './report-stats.js';
import type { LogFile } from './rotated-files.js';
import { planTasks } from './scan-plan.js';
import { runOnWorkers } from './scan-pool.js';
import { runTask, type TaskOptions, type TaskResult } from './scan-task.js';
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
  /** Threads that read the log. */
  threads: number;
  /** Why the worker threads were given up for this one, else null. */
  workerError: string | null;
}

/** Scan options: the range, the accumulator's sizes, progress (bytes read so far, total) and threads. */
export interface ScanOptions extends TaskOptions {
  onProgress?: (readBytes: number, totalBytes: number) => void;
  /** Parts to split the work into, read by as many threads (default 1); without workerUrl all on this thread. */
  jobs?: number;
  /** The scan worker's module (dist/forensics/scan-worker.js). */
  workerUrl?: URL;
}

async function runHere(tasks: ReadTask[], opts: TaskOptions, onBytes: (n: number) => void): Promise<TaskResult[]> {
  const results: TaskResult[] = [];
  for (const task of tasks) results.push(await runTask(task, opts, onBytes));
  return results;
}

function fileScans(files: LogFile[], tasks: ReadTask[], results: TaskResult[]): FileScan[] {
  const scans = files.map((f): FileScan => ({ path: f.path, gzip: f.gzip, bytes: f.bytes, lines: 0, skipped: 0, error: null }));
  tasks.forEach((task, i) => {
    const scan = scans[files.indexOf(task.file)] as FileScan;
    const { counts } = results[i] as TaskResult;
    scan.lines += counts.lines;
    scan.skipped += counts.skipped;
    scan.error ??= counts.error;
  });
  return scans;
}

/** Reads the tasks (on workers when there is a workerUrl and more than one thread) and merges them in order. */
export async function readTasks(files: LogFile[], tasks: ReadTask[], opts: ScanOptions): Promise<LogScan> {
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  let readBytes = 0;
  const onBytes = (n: number): void => {
    readBytes += n;
    opts.onProgress?.(readBytes, total);
  };
  const taskOpts: TaskOptions = { range: opts.range, fast: opts.fast, top: opts.top, incidents: opts.incidents };
  let threads = opts.workerUrl === undefined ? 1 : Math.min(Math.max(1, opts.jobs ?? 1), tasks.length);
  let results: TaskResult[] | null = null;
  let workerError: string | null = null;
  if (threads > 1 && opts.workerUrl !== undefined) {
    try {
      results = await runOnWorkers(opts.workerUrl, threads, tasks, taskOpts, onBytes);
    } catch (err) {
      [workerError, threads, readBytes] = [(err as Error).message, 1, 0];
    }
  }
  results ??= await runHere(tasks, taskOpts, onBytes);
  const stats = reportStats(taskOpts);
  for (const r of results) stats.merge(r.state);
  const scans = fileScans(files, tasks, results);
  const skippedLines = scans.reduce((sum, s) => sum + s.skipped, 0);
  return { figures: stats.result(), files: scans, skippedLines, untimed: stats.untimed(), range: opts.range, threads, workerError };
}

/** Scans the files (oldest first) and returns the report's figures; `jobs` splits the work into that many parts. */
export async function scanLog(files: LogFile[], opts: ScanOptions): Promise<LogScan> {
  return readTasks(files, planTasks(files, Math.max(1, opts.jobs ?? 1)), opts);
}
