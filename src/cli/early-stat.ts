// The first reading of /proc/stat for a one-shot check, taken as the process starts (see main.ts).
import { readFile } from 'node:fs/promises';

/** A reading in flight and the monotonic time it started. */
export interface EarlyStat {
  text: Promise<string>;
  atMs: number;
}

// One per process, handed over once: the entry starts it, `check` takes it.
let prefetched: EarlyStat | null = null;

/** Starts reading /proc/stat now. */
export function prefetchStat(path = '/proc/stat'): void {
  prefetched = { text: readFile(path, 'utf8'), atMs: performance.now() };
  prefetched.text.catch(() => undefined); // observed by whoever takes it
}

/** The reading started by prefetchStat, once; null when none was started. */
export function takeEarlyStat(): EarlyStat | null {
  const early = prefetched;
  prefetched = null;
  return early;
}
