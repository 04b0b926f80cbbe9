// Reads the NDJSON log forwards (for `tail -f` and `report`) and the last N records (for `tail -n`).

import fs from 'node:fs';
import { parseLogLine, readLogBackward } from './tail-reader.js';

/** Counters a forward read keeps up to date while it runs. */
export interface ForwardStats {
  /** Non-empty lines that were not a JSON object. */
  skipped: number;
  /** Byte offset after the last complete line read, valid or not: where the next read should start. */
  end?: number;
}

/** Options of a forward read. */
export interface ForwardOptions {
  /** Byte offset to start at (default 0); should be the `end` of an earlier line. */
  start?: number;
  /** Updated as lines are read: skipped count and resume offset. */
  stats?: ForwardStats;
  /** Size of each read (default 64 KiB). */
  chunkBytes?: number;
}

/** One record read forwards, with its line and the byte offset just after it. */
export interface ForwardRecord {
  record: unknown;
  line: string;
  end: number;
}

/**
 * True only when the log is not there (ENOENT). Any other failure to look at it (a file where a folder of
 * its path should be, permission denied) is not "no log yet": the read that follows reports it.
 */
export function logMissing(path: string): boolean {
  try {
    fs.statSync(path);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function openForRead(path: string): Promise<fs.promises.FileHandle | null> {
  try {
    return await fs.promises.open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read log ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Streams records oldest first in constant memory; stops before a last line that has no '\n' yet. */
export async function* readLogForward(path: string, opts: ForwardOptions = {}): AsyncGenerator<ForwardRecord, void> {
  const stats = opts.stats ?? { skipped: 0 };
  let offset = opts.start ?? 0;
  stats.end = offset;
  const file = await openForRead(path);
  if (file === null) return;
  try {
    const chunk = Buffer.allocUnsafe(Math.max(1, opts.chunkBytes ?? 64 * 1024));
    let pending: Buffer = Buffer.alloc(0);
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, offset + pending.length);
      if (bytesRead === 0) return; // A partial last line stays unread: a writer may be mid-append.
      const buf = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = buf.indexOf(0x0a); nl >= 0; nl = buf.indexOf(0x0a, start)) {
        const line = buf.toString('utf8', start, nl);
        offset += nl + 1 - start;
        start = nl + 1;
        stats.end = offset;
        const parsed = parseLogLine(line);
        if (parsed === 'invalid') stats.skipped++;
        else if (parsed !== 'empty') yield { record: parsed, line: line.trimEnd(), end: offset };
      }
      // Copy: `chunk` is reused by the next read.
      pending = Buffer.from(buf.subarray(start));
    }
  } finally {
    await file.close();
  }
}

/** Returns the last n parsed records (oldest first) and the skipped count, reading backwards. */
export function readLastRecords(path: string, n: number): { records: unknown[]; skipped: number } {
  const records: unknown[] = [];
  if (n <= 0) return { records, skipped: 0 };
  const stats = readLogBackward(path, (record) => {
    records.push(record);
    return records.length < n;
  });
  return { records: records.reverse(), skipped: stats.skipped };
}
