// Lowers the scheduling priority (nice) of the calling thread only. On Linux a thread is a task with its
// own id, which setpriority(2) accepts in place of a pid; /proc/thread-self names it. Elsewhere, or when
// the call fails, nothing changes: the priority is a courtesy, never a requirement.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The nice value of the read worker: the lowest priority, so the probe's thread runs first. */
export const READER_NICE = 19;

/** The calling thread's task id (Linux), or null. */
export function threadId(): number | null {
  try {
    const m = /\/task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** Sets the calling thread's nice value to `nice` (default READER_NICE); true when it was set. */
export function lowerThreadPriority(nice = READER_NICE): boolean {
  const tid = threadId();
  if (tid === null) return false;
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
