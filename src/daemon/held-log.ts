// The log as the daemon gives it to a cycle: a record that cannot be written (folder gone, read-only,
// disk full) is held back in memory, bounded, and written first, in order, once a later write succeeds.
// Held records are newer than anything in the file, so a backward read visits them first: the
// baseline and the heal budget still see them while the disk is broken.
import type { GuardLog } from '../log/file-log.js';
import { GuardError } from '../errors.js';
import type { TailReadStats } from '../log/tail-reader.js';
import { LogWriteError } from '../log/appender.js';

/** The default bound of the queue: past it the oldest held record is dropped (and counted). */
export const HELD_RECORDS_LIMIT = 10_000;

interface Entry {
  record: object;
  /** True once a write of it failed or it waited behind one that failed. */
  held: boolean;
}

/** The records a daemon could not write yet, oldest first; one queue lives as long as the daemon. */
export interface HeldRecords {
  readonly entries: Entry[];
  readonly limit: number;
  /** Records dropped (oldest first) because the queue was full, since the daemon started. */
  dropped: number;
}

/** What happened to the log through one wrapper (one cycle). */
export interface HeldLogReport {
  /** The last write failure through this wrapper, or null when every write went through. */
  writeError: string | null;
  /** A failed read of the file (the history then holds only the held-back records). */
  readError: string | null;
  /** Records held back in memory now. */
  held: number;
  /** Held-back records written through this wrapper (the log came back). */
  flushed: number;
  /** Records dropped because the queue was full, since the daemon started. */
  dropped: number;
}

/** Creates the daemon's queue of held-back records. */
export function heldRecords(limit = HELD_RECORDS_LIMIT): HeldRecords {
  return { entries: [], limit: Math.max(1, limit), dropped: 0 };
}

/** Wraps a cycle's log: append never throws for a write failure, it holds the record back instead. */
export function heldLog(inner: GuardLog, queue: HeldRecords): GuardLog & { flush(): void; report(): HeldLogReport } {
  let writeError: string | null = null;
  let readError: string | null = null;
  let flushed = 0;
  const flush = (): void => {
    while (queue.entries.length > 0) {
      const head = queue.entries[0] as Entry;
      try {
        inner.append(head.record);
      } catch (err) {
        if (!isWriteFailure(err)) {
          queue.entries.shift(); // a record that can never be written must not block the rest
          throw err;
        }
        writeError = (err as Error).message;
        for (const e of queue.entries) e.held = true;
        return;
      }
      queue.entries.shift();
      if (head.held) flushed += 1;
    }
  };
  return {
    append(record) {
      queue.entries.push({ record, held: false });
      try {
        flush();
      } finally {
        while (queue.entries.length > queue.limit) {
          queue.entries.shift();
          queue.dropped += 1;
        }
      }
    },
    readBackward(visit) {
      const stats: TailReadStats = { skipped: 0, bytesRead: 0, linesRead: 0 };
      for (let i = queue.entries.length - 1; i >= 0; i--) {
        if (!visit((queue.entries[i] as Entry).record)) return stats;
      }
      try {
        return inner.readBackward(visit);
      } catch (err) {
        readError = (err as Error).message;
        return stats;
      }
    },
    flush,
    report: () => ({ writeError, readError, held: queue.entries.length, flushed, dropped: queue.dropped }),
  };
}

/** True for the errors that mean "the log cannot be written right now". */
export function isWriteFailure(err: unknown): boolean {
  return err instanceof LogWriteError || (err instanceof GuardError && err.code === 'LOG_UNWRITABLE');
}
