// How a scan is split: how many threads are worth starting, and the read tasks (a gzip file whole, a
// plain file in byte ranges that each start at a line), so that every line is read by exactly one task.
import fs from 'node:fs';
import type { ReadTask } from './record-reader.js';
import type { LogFile } from './rotated-files.js';

/** A thread is worth starting for this many bytes: booting one and warming up its JIT costs about what reading 30 MB does. */
export const MIN_BYTES_PER_JOB = 32e6;
/** Never more threads than this. */
export const MAX_JOBS = 8;
/** Offsets of file i's lines in a scan start at i * FILE_POS (CheckView.pos). */
export const FILE_POS = 2 ** 40;
const PROBE_BYTES = 1 << 16;

/** Threads to read `bytes` with: the cores the load average leaves free, one per MIN_BYTES_PER_JOB, at least 1. */
export function autoJobs(cpus: number, load1: number, bytes: number): number {
  const free = Math.round(cpus - load1);
  return Math.max(1, Math.min(free, Math.floor(bytes / MIN_BYTES_PER_JOB), MAX_JOBS));
}

/** The first line start at or after `at` in the file (0 or just after a '\n'), null when none is left. */
export function lineStartFrom(path: string, at: number): number | null {
  if (at <= 0) return 0;
  const fd = fs.openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(PROBE_BYTES);
    for (let from = at - 1; ; from += PROBE_BYTES) {
      const n = fs.readSync(fd, buf, 0, PROBE_BYTES, from);
      if (n === 0) return null;
      const nl = buf.subarray(0, n).indexOf(0x0a);
      if (nl >= 0) return from + nl + 1;
    }
  } finally {
    fs.closeSync(fd);
  }
}

// The ranges of a plain file in about `pieces` parts, each starting at a line (the last one open-ended).
// A file that cannot be probed is one range: its read reports why.
function ranges(file: LogFile, pieces: number): [number, number | null][] {
  const starts = [0];
  try {
    for (let k = 1; k < pieces; k++) {
      const start = lineStartFrom(file.path, Math.floor((file.bytes * k) / pieces));
      if (start === null || start >= file.bytes) break;
      if (start > (starts[starts.length - 1] as number)) starts.push(start);
    }
  } catch {
    starts.length = 1;
  }
  return starts.map((start, i) => [start, starts[i + 1] ?? null]);
}

/** The read tasks of the files, in log order, for `jobs` threads. */
export function planTasks(files: LogFile[], jobs: number): ReadTask[] {
  const share = files.reduce((sum, f) => sum + f.bytes, 0) / Math.max(1, jobs);
  return files.flatMap((file, i) => {
    const pieces = jobs <= 1 || file.gzip || file.bytes === 0 ? 1 : Math.ceil(file.bytes / share);
    return ranges(file, pieces).map(([start, end]) => ({ file, start, end, pos: i * FILE_POS }));
  });
}
