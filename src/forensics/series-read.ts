// The fast reader for a chart: the checks of a time range of one log file in at most `maxPoints` points
// (each the slowest check of its bucket, not ok when any check in it failed) and the newest events. It
// seeks to the range by bisecting the file on the lines' ts (the log is in time order), then reads forward.
import fs from 'node:fs';
import type { CheckLine } from './check-line.js';
import type { CheckView } from './check-view.js';
import { readRecords } from './record-reader.js';
import type { LogFile } from './rotated-files.js';
import { lineStartFrom } from './scan-plan.js';
import { rangeText, tsPrefix } from './time-range.js';

/** One point of a series. */
export interface SeriesPoint {
  ts: string;
  tsMs: number;
  latencyMs: number | null;
  ok: boolean;
  score: number | null;
  mean: number | null;
  stdev: number | null;
  cpu: number | null;
  mem: number | null;
  disk: number | null;
}

/** An event record of the range. */
export interface SeriesEvent {
  tsMs: number;
  record: Record<string, unknown>;
}

/** What to read: [fromMs, toMs], how many points at most, which events and how many (the newest). */
export interface SeriesOptions {
  fromMs: number;
  toMs: number;
  maxPoints: number;
  events?: readonly string[];
  maxEvents?: number;
}

/** The points in time order, the events oldest first, the unreadable lines, whether buckets merged checks. */
export interface SeriesRead {
  points: SeriesPoint[];
  events: SeriesEvent[];
  skipped: number;
  downsampled: boolean;
}

const pointOf = (c: CheckView): SeriesPoint => ({ ts: c.ts, tsMs: c.tsMs, latencyMs: c.latencyMs, ok: c.ok === true, score: c.score, mean: c.mean, stdev: c.stdev, cpu: c.cpu, mem: c.mem, disk: c.disk });

// The ts prefix of the line starting at `at`, or null.
function prefixAt(fd: number, at: number): string | null {
  const buf = Buffer.alloc(128);
  const n = fs.readSync(fd, buf, 0, buf.length, at);
  return tsPrefix(buf.toString('utf8', 0, n).split('\n')[0] ?? '');
}

/** A line start of the plain file at or before the first line whose ts is `since` or later (0 when unsure). */
export function seekTime(file: LogFile, since: string): number {
  if (file.gzip) return 0;
  const fd = fs.openSync(file.path, 'r');
  try {
    let [lo, hi] = [0, file.bytes];
    while (hi - lo > 1 << 16) {
      const mid = lineStartFrom(file.path, Math.floor((lo + hi) / 2));
      const prefix = mid === null ? null : prefixAt(fd, mid);
      if (mid !== null && prefix !== null && prefix < since) lo = mid;
      else hi = Math.floor((lo + hi) / 2);
    }
    return lo;
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads the series of [fromMs, toMs] from one log file. */
export async function readSeries(file: LogFile, opts: SeriesOptions): Promise<SeriesRead> {
  const range = { sinceMs: opts.fromMs, untilMs: opts.toMs };
  const bucketMs = Math.max(1e-3, (opts.toMs - opts.fromMs) / opts.maxPoints);
  const buckets = new Map<number, { point: SeriesPoint; n: number }>();
  const events: SeriesEvent[] = [];
  const wanted = new Set(opts.events ?? ['anomaly_trigger']);
  const sink = {
    check(c: CheckLine): void {
      if (!(c.tsMs >= opts.fromMs && c.tsMs <= opts.toMs)) return;
      const i = Math.min(opts.maxPoints - 1, Math.floor((c.tsMs - opts.fromMs) / bucketMs));
      const b = buckets.get(i);
      if (b === undefined) buckets.set(i, { point: pointOf(c), n: 1 });
      else {
        const ok = b.point.ok && c.ok === true;
        if ((c.latencyMs ?? -Infinity) > (b.point.latencyMs ?? -Infinity)) b.point = pointOf(c);
        b.point.ok = ok;
        b.n++;
      }
    },
    record(rec: Record<string, unknown>, tsMs: number): void {
      if (!(tsMs >= opts.fromMs && tsMs <= opts.toMs) || !wanted.has(rec.event as string)) return;
      events.push({ tsMs, record: rec });
      if (events.length > (opts.maxEvents ?? 2000)) events.shift();
    },
  };
  const start = seekTime(file, rangeText(range).since as string);
  const counts = await readRecords({ file, start, end: null, pos: 0 }, { range }, sink);
  if (counts.error !== null) throw new Error(`cannot read log ${file.path}: ${counts.error}`);
  const ordered = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  return { points: ordered.map((b) => b.point), events, skipped: counts.skipped, downsampled: ordered.some((b) => b.n > 1) };
}
