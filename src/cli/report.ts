// `anomaly-guard report [--since DUR] [--until TS] [--json]`: forensics over the log and its rotated files.
import os from 'node:os';
import { visibleJson, visibleLines } from '../core/terminal-text.js';
import { GuardError } from '../errors.js';
import { noProgress, progressMeter, type Progress } from '../forensics/progress.js';
import { renderReport } from '../forensics/render-report.js';
import { reportJson, type ReportJson } from '../forensics/report-json.js';
import { renderTargetsReport } from '../forensics/render-targets.js';
import { listLogFiles } from '../forensics/rotated-files.js';
import { scanLog } from '../forensics/scan-log.js';
import { autoJobs } from '../forensics/scan-plan.js';
import { parseTimeArg, type TimeRange } from '../forensics/time-range.js';
import type { GuardConfig } from '../config/config.js';
import { loadForCommand } from './config-arg.js';
import { oneTarget } from './target-arg.js';

/** Inputs larger than this get a progress line on a terminal. */
const PROGRESS_MIN_BYTES = 50e6;

function timeFlag(opts: Record<string, unknown>, flag: 'since' | 'until', nowMs: number): number | null {
  const value = opts[flag];
  if (value === undefined) return null;
  const ms = parseTimeArg(String(value), nowMs);
  if (ms === null) {
    throw new GuardError('USAGE', `--${flag} ${String(value)} is neither a duration nor a timestamp`, {
      hint: `use a duration back from now (e.g. --${flag} 24h, 7d, 90m) or a UTC timestamp (e.g. 2025-10-21 or 2025-10-21T08:00:00Z)`,
    });
  }
  return ms;
}

/** The range of --since / --until; a usage error when they are unreadable or reversed. */
export function rangeFromFlags(opts: Record<string, unknown>, nowMs: number): TimeRange {
  const range = { sinceMs: timeFlag(opts, 'since', nowMs), untilMs: timeFlag(opts, 'until', nowMs) };
  if (range.sinceMs !== null && range.untilMs !== null && range.sinceMs > range.untilMs) {
    throw new GuardError('USAGE', `--since ${String(opts.since)} is after --until ${String(opts.until)}`, { hint: 'swap them: --since is the start of the range' });
  }
  return range;
}

/** The threads of --jobs: a whole number, or `auto` (the default): the idle cores, for a log large enough. */
export function jobsFromFlag(value: unknown, totalBytes: number): number {
  if (value === undefined || value === 'auto') return autoJobs(os.availableParallelism(), os.loadavg()[0] ?? 0, totalBytes);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new GuardError('USAGE', `--jobs ${String(value)} is not a number of threads`, { hint: 'use a whole number of 1 or more (1: read on one thread), or auto' });
  return n;
}

// The worker's module, beside this command's in dist/ (cli/ and chunks/ are both one level down).
const WORKER_URL = new URL('../forensics/scan-worker.js', import.meta.url);

function progressFor(totalBytes: number): Progress {
  if (totalBytes <= PROGRESS_MIN_BYTES || !process.stderr.isTTY) return noProgress;
  return progressMeter({ total: totalBytes, write: (t) => process.stderr.write(t), nowMs: () => Date.now() });
}

/** Prints the report; exit 1 (LOG_MISSING) when neither the log nor a rotated file exists. With `targets:`
 * and no --target: one line per target, the least available first (--json: every target's report). */
export default async function report(opts: Record<string, unknown>): Promise<number> {
  const range = rangeFromFlags(opts, Date.now());
  const loaded = await loadForCommand(opts, 'report');
  if (loaded.targets.length > 0 && opts.target === undefined) {
    const reports: ReportJson[] = [];
    for (const t of loaded.targets) if (listLogFiles(t.logFile).length > 0) reports.push({ ...(await reportOf(t, opts, range)), target: t.target } as ReportJson);
    if (reports.length === 0) throw new GuardError('LOG_MISSING', `no log yet for any of the ${loaded.targets.length} targets (beside ${loaded.logFile})`, { hint: 'run `anomaly-guard check` (or start the daemon) first, or point -c at the right config' });
    process.stdout.write(opts.json ? `${visibleJson(JSON.stringify({ targets: reports }, null, 2))}\n` : visibleLines(renderTargetsReport(reports)));
    return 0;
  }
  const config = oneTarget(loaded, opts.target, 'report');
  const json = await reportOf(config, opts, range);
  // Reason texts come from the log: escaped, nothing raw reaches the terminal.
  process.stdout.write(opts.json ? `${visibleJson(JSON.stringify(json, null, 2))}\n` : visibleLines(renderReport(json)));
  return 0;
}

// One log (with its rotated files) scanned into the report's figures.
async function reportOf(config: GuardConfig, opts: Record<string, unknown>, range: TimeRange): Promise<ReportJson> {
  const files = listLogFiles(config.logFile);
  if (files.length === 0) {
    throw new GuardError('LOG_MISSING', `no log yet at ${config.logFile} (nor rotated files beside it)`, { hint: 'run `anomaly-guard check` (or start the daemon) first, or point -c at the right config' });
  }
  const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
  const jobs = jobsFromFlag(opts.jobs, totalBytes);
  const progress = progressFor(totalBytes);
  const scan = await scanLog(files, { range, jobs, workerUrl: WORKER_URL, onProgress: (read) => progress.update(read) });
  progress.done();
  if (scan.workerError !== null) process.stderr.write(`anomaly-guard report: read on one thread, as the worker threads failed: ${scan.workerError}\n`);
  if (scan.files.every((f) => f.error !== null && f.lines === 0)) {
    const first = scan.files[0];
    throw new GuardError('LOG_UNREADABLE', `cannot read log ${first?.path}: ${first?.error}`, { hint: 'check the path and that this user may read the log and its rotated files' });
  }
  for (const f of scan.files) {
    if (f.error) process.stderr.write(`anomaly-guard report: ${f.path} ${f.lines === 0 ? 'could not be read' : 'was not read to its end'}: ${f.error}\n`);
  }
  return reportJson(config.logFile, scan);
}
