// Reads the NDJSON log backwards from its end, chunk by chunk, only as far as the caller needs.

import fs from 'node:fs';
import { openRegularForRead } from '../effects/safe-file.js';

/** What a backward scan cost and found. */
export interface TailReadStats {
  /** Non-empty lines that were not a JSON object (garbage, a torn last line). */
  skipped: number;
  /** Bytes read from the file. */
  bytesRead: number;
  /** Non-empty lines looked at, parsed or skipped. */
  linesRead: number;
}

/** Options of a backward scan. */
export interface TailReadOptions {
  /** Size of each read from the end (default 64 KiB). */
  chunkBytes?: number;
  /** Stop after reading this many bytes (default: no limit). */
  maxBytes?: number;
  /** Tried on each line's bytes, buf[start, end) (no '\n'), before it is parsed: a record it returns is visited as
   * the line's, with an empty line text; null parses the line as usual. */
  skim?: (buf: Buffer, start: number, end: number) => object | null;
}

/** Parses one log line: the record, 'empty' for a blank line, or 'invalid' when it is not a JSON object. */
export function parseLogLine(text: string): object | 'empty' | 'invalid' {
  const line = text.trim();
  if (line === '') return 'empty';
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : 'invalid';
  } catch {
    return 'invalid';
  }
}

// Only a regular file, opened without blocking: a FIFO put where the log was must not hang the guard.
function openForRead(path: string): { fd: number; size: number } | null {
  try {
    return openRegularForRead(path);
  } catch (err) {
    throw new Error(`cannot read log ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Calls visit(record, line) for each parsed line from the newest backwards until visit returns false or the start is reached. */
export function readLogBackward(
  path: string,
  visit: (record: unknown, line: string) => boolean,
  opts: TailReadOptions = {},
): TailReadStats {
  const stats: TailReadStats = { skipped: 0, bytesRead: 0, linesRead: 0 };
  const opened = openForRead(path);
  if (opened === null) return stats;
  const fd = opened.fd;
  try {
    scanBackward({ size: opened.size, read: (at, len) => readChunk(fd, path, at, len) }, visit, opts, stats);
  } finally {
    fs.closeSync(fd);
  }
  return stats;
}

/** The same over bytes already in memory (a decompressed rotated log). */
export function readBytesBackward(bytes: Buffer, visit: (record: unknown, line: string) => boolean, opts: TailReadOptions = {}): TailReadStats {
  const stats: TailReadStats = { skipped: 0, bytesRead: 0, linesRead: 0 };
  scanBackward({ size: bytes.length, read: (at, len) => bytes.subarray(at, at + len) }, visit, opts, stats);
  return stats;
}

// What a backward scan reads from: a file, or bytes in memory.
interface ByteSource {
  size: number;
  read(at: number, len: number): Buffer;
}

// Hands one complete line (bytes, no '\n') to visit; returns false to stop the scan.
function emitLine(buf: Buffer, start: number, end: number, visit: (record: unknown, line: string) => boolean, stats: TailReadStats, skim: TailReadOptions['skim']): boolean {
  const skimmed = skim === undefined ? null : skim(buf, start, end);
  if (skimmed !== null) {
    stats.linesRead++;
    return visit(skimmed, '');
  }
  const line = buf.toString('utf8', start, end);
  const parsed = parseLogLine(line);
  if (parsed === 'empty') return true;
  stats.linesRead++;
  if (parsed === 'invalid') {
    stats.skipped++;
    return true;
  }
  return visit(parsed, line.trimEnd());
}

function scanBackward(source: ByteSource, visit: (record: unknown, line: string) => boolean, opts: TailReadOptions, stats: TailReadStats): void {
  const chunkBytes = Math.max(1, opts.chunkBytes ?? 64 * 1024);
  const maxBytes = opts.maxBytes ?? Infinity;
  let pos = source.size;
  // Bytes of the line being assembled, whose start lies before `pos` (newest chunk FIRST).
  let pending: Buffer[] = [];
  while (pos > 0 && stats.bytesRead < maxBytes) {
    const len = Math.min(chunkBytes, pos, maxBytes - stats.bytesRead);
    const chunk = source.read(pos - len, len);
    pos -= len;
    stats.bytesRead += len;
    if (chunk.lastIndexOf(0x0a) < 0) {
      pending.push(chunk);
      continue;
    }
    const buf = pending.length > 0 ? Buffer.concat([chunk, ...pending.reverse()]) : chunk;
    let end = buf.length;
    // Lines split on the '\n' byte only, which never occurs inside a multibyte UTF-8 character.
    for (let nl = buf.lastIndexOf(0x0a, end - 1); nl >= 0; nl = end > 0 ? buf.lastIndexOf(0x0a, end - 1) : -1) {
      if (!emitLine(buf, nl + 1, end, visit, stats, opts.skim)) return;
      end = nl;
    }
    pending = end > 0 ? [buf.subarray(0, end)] : [];
  }
  // The oldest line is complete only when the scan reached the start of the file.
  if (pos === 0 && pending.length > 0) {
    const first = Buffer.concat(pending.reverse());
    emitLine(first, 0, first.length, visit, stats, opts.skim);
  }
}

function readChunk(fd: number, path: string, at: number, len: number): Buffer {
  const buf = Buffer.allocUnsafe(len);
  let got = 0;
  try {
    while (got < len) {
      const n = fs.readSync(fd, buf, got, len - got, at + got);
      if (n === 0) break;
      got += n;
    }
  } catch (err) {
    throw new Error(`cannot read log ${path}: ${(err as Error).message}`, { cause: err });
  }
  return got === len ? buf : buf.subarray(0, got);
}
