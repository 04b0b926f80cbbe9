// One read task of a report scan, run the same way on the main thread or in a worker: the task's
// records into a fresh accumulator, whose state (plain data) is merged with the other tasks' in log order.
import { readRecords, type ReadCounts, type ReadTask } from './record-reader.js';
import { reportStats, type ReportState, type ReportStatsOptions } from './report-stats.js';
import type { TimeRange } from './time-range.js';

/** What every task of a scan shares. */
export interface TaskOptions extends ReportStatsOptions {
  range: TimeRange;
  /** false: every line through JSON.parse (the reference of the tests). */
  fast?: boolean;
}

/** A task's figures and counters. */
export interface TaskResult {
  state: ReportState;
  counts: ReadCounts;
}

/** Reads one task into a fresh accumulator. */
export async function runTask(task: ReadTask, opts: TaskOptions, onBytes?: (bytes: number) => void): Promise<TaskResult> {
  const stats = reportStats(opts);
  const counts = await readRecords(task, { range: opts.range, fast: opts.fast, onBytes, blocking: true }, stats);
  return { state: stats.state(), counts };
}
