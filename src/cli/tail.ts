// `anomaly-guard tail [-n N] [-f] [--json]`: the last N records, then (with -f) new ones as they come.
import { statSync } from 'node:fs';
import { sleep } from '../effects/clock.js';
import { GuardError } from '../errors.js';
import { readLastRecords, readLogForward } from '../log/reader.js';
import { loadForCommand } from './config-arg.js';
import { formatRecordLine } from './render-record.js';

const show = (record: unknown, json: boolean): string => (json ? JSON.stringify(record) : formatRecordLine(record));

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

/** Prints the last N records; with -f keeps following until SIGINT/SIGTERM. */
export default async function tail(opts: Record<string, unknown>): Promise<number> {
  const n = Number(opts.lines ?? 20);
  if (!Number.isInteger(n) || n < 0) throw new GuardError('USAGE', `-n ${String(opts.lines)} is not a number of records`, { hint: 'use a whole number, e.g. -n 50' });
  const config = await loadForCommand(opts, 'tail');
  const json = Boolean(opts.json);
  const start = sizeOf(config.logFile);
  const { records, skipped } = readLastRecords(config.logFile, n);
  for (const record of records) process.stdout.write(`${show(record, json)}\n`);
  if (skipped > 0) process.stderr.write(`anomaly-guard tail: skipped ${skipped} unreadable line(s) in ${config.logFile}\n`);
  if (!opts.follow) return 0;
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  await follow(config.logFile, json, start, stop.signal);
  return 0;
}
