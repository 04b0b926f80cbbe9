// `anomaly-guard tail [-n N] [-f] [--json]`: the last N records, then (with -f) new ones as they come.
// Every line is made safe for a terminal; a human line is bounded (--json prints records whole).
import { statSync } from 'node:fs';
import { sleep } from '../effects/clock.js';
import { GuardError } from '../errors.js';
import { logReadError } from '../log/file-log.js';
import { logMissing, readLastRecords, readLogForward } from '../log/reader.js';
import { loadForCommand } from './config-arg.js';
import { formatRecordLine } from './render-record.js';
import { terminalLine, visibleJson } from '../core/terminal-text.js';

const show = (record: unknown, json: boolean): string => (json ? visibleJson(JSON.stringify(record)) : terminalLine(formatRecordLine(record), 'tail --json'));

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

async function follow(path: string, json: boolean, start: number, signal: AbortSignal): Promise<void> {
  let offset = start;
  while (!signal.aborted) {
    if (sizeOf(path) < offset) offset = 0; // truncated or replaced (logrotate): start again from the top
    const stats = { skipped: 0, end: offset };
    for await (const { record } of readLogForward(path, { start: offset, stats })) process.stdout.write(`${show(record, json)}\n`);
    offset = stats.end ?? offset;
    await sleep(500, signal).catch(() => undefined);
  }
}

function readLast(path: string, n: number): ReturnType<typeof readLastRecords> {
  try {
    return readLastRecords(path, n);
  } catch (err) {
    throw logReadError(path, err);
  }
}

/** Prints the last N records; with -f keeps following until SIGINT/SIGTERM. No log yet: says so, exit 0. */
export default async function tail(opts: Record<string, unknown>): Promise<number> {
  const n = Number(opts.lines ?? 20);
  if (!Number.isInteger(n) || n < 0) throw new GuardError('USAGE', `-n ${String(opts.lines)} is not a number of records`, { hint: 'use a whole number, e.g. -n 50' });
  const config = await loadForCommand(opts, 'tail');
  const json = Boolean(opts.json);
  const path = config.logFile;
  if (logMissing(path)) process.stderr.write(`anomaly-guard tail: no log yet at ${path}${opts.follow ? '; waiting for it' : ''}\n`);
  const start = sizeOf(path);
  const { records, skipped } = readLast(path, n);
  for (const record of records) process.stdout.write(`${show(record, json)}\n`);
  if (skipped > 0) process.stderr.write(`anomaly-guard tail: skipped ${skipped} unreadable line(s) in ${path}\n`);
  if (!opts.follow) return 0;
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  await follow(path, json, start, stop.signal);
  return 0;
}
