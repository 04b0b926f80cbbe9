// `anomaly-guard tail [-n N] [-f] [--json]`: the last N records, then (with -f) new ones as they come.
// Every line is made safe for a terminal; a human line is bounded (--json prints records whole).
import { statSync } from 'node:fs';
import { sleep } from '../effects/clock.js';
import { GuardError } from '../errors.js';
import { logReadError } from '../log/file-log.js';
import { logMissing, readLastRecords, readLogForward } from '../log/reader.js';
import type { GuardConfig } from '../config/config.js';
import { parseTs } from '../core/format.js';
import { loadForCommand } from './config-arg.js';
import { chosenTargets } from './target-arg.js';
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

async function follow(path: string, json: boolean, start: number, signal: AbortSignal, label = ''): Promise<void> {
  let offset = start;
  while (!signal.aborted) {
    if (sizeOf(path) < offset) offset = 0; // truncated or replaced (logrotate): start again from the top
    const stats = { skipped: 0, end: offset };
    for await (const { record } of readLogForward(path, { start: offset, stats })) process.stdout.write(`${label}${show(record, json)}\n`);
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

/** Prints the last N records; with -f keeps following until SIGINT/SIGTERM. No log yet: says so, exit 0.
 * With `targets:` and no --target: the last N records of all targets together, in time order, each
 * human line after its target's name; -f follows every target's log. */
export default async function tail(opts: Record<string, unknown>): Promise<number> {
  const n = Number(opts.lines ?? 20);
  if (!Number.isInteger(n) || n < 0) throw new GuardError('USAGE', `-n ${String(opts.lines)} is not a number of records`, { hint: 'use a whole number, e.g. -n 50' });
  const loaded = await loadForCommand(opts, 'tail');
  const targets = chosenTargets(loaded, opts.target);
  const json = Boolean(opts.json);
  const named = targets.length > 1 || (targets[0]?.target !== null && opts.target === undefined);
  const label = (config: GuardConfig) => (named ? `[${config.target}] ` : '');
  const starts = new Map<string, number>();
  const last: { at: number; line: string }[] = [];
  for (const config of targets) {
    const path = config.logFile;
    if (logMissing(path)) process.stderr.write(`anomaly-guard tail: no log yet at ${path}${opts.follow ? '; waiting for it' : ''}\n`);
    starts.set(path, sizeOf(path));
    const { records, skipped } = readLast(path, n);
    for (const record of records) last.push({ at: atOf(record), line: `${json ? '' : label(config)}${show(record, json)}` });
    if (skipped > 0) process.stderr.write(`anomaly-guard tail: skipped ${skipped} unreadable line(s) in ${path}\n`);
  }
  // One log: its order as written; several: by time (stable, so a target's own order holds).
  if (targets.length > 1) last.sort((a, b) => a.at - b.at);
  for (const { line } of last.slice(Math.max(0, last.length - n))) process.stdout.write(`${line}\n`);
  if (!opts.follow) return 0;
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  await Promise.all(targets.map((config) => follow(config.logFile, json, starts.get(config.logFile) ?? 0, stop.signal, json ? '' : label(config))));
  return 0;
}

// A record's time for merging targets' tails (an untimed one sorts first).
function atOf(record: unknown): number {
  const ts = typeof record === 'object' && record !== null ? (record as { ts?: unknown }).ts : undefined;
  const t = parseTs(ts);
  return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
}
