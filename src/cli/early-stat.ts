// The first reading of /proc/stat for a one-shot check, taken as the process starts (see main.ts) and
// handed to the check bundle (check-main.ts), which gives it to `check` once.
import { readFile } from 'node:fs/promises';

/** A reading in flight and the monotonic time it started. */
export interface EarlyStat {
  text: Promise<string>;
  atMs: number;
}

// One per process, handed over once: the check bundle's entry stores it, `check` takes it.
let handedOver: EarlyStat | null = null;

/** Starts reading /proc/stat now. */
export function readEarlyStat(path = '/proc/stat'): EarlyStat {
  const early = { text: readFile(path, 'utf8'), atMs: performance.now() };
  early.text.catch(() => undefined); // observed by whoever takes it
  return early;
}

/** Keeps a reading started by the entry for `check` to take. */
export function handOverEarlyStat(early: EarlyStat): void {
  handedOver = early;
}

/** The reading handed over, once; null when none was. */
export function takeEarlyStat(): EarlyStat | null {
  const early = handedOver;
  handedOver = null;
  return early;
}
