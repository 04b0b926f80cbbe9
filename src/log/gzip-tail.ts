// A gzip-compressed rotated log (logrotate `compress` without `delaycompress`) read backwards for a
// cycle's history. gzip cannot be read from its end, so the file is decompressed whole in memory,
// bounded on both sides by what the history may still cost: the compressed file and its content must
// each fit in `maxBytes`, or it is not read and the caller says so.
import fs from 'node:fs';
import { formatBytes } from '../effects/file-refusal.js';
import { loadZlib } from '../effects/lazy-tls.js';
import { openRegularForRead } from '../effects/safe-file.js';
import { readBytesBackward, type TailReadOptions, type TailReadStats } from './tail-reader.js';

/** Why a rotated log was not read, in words ("it is not a valid gzip file (incorrect header check)"). */
export class RotatedUnreadable extends Error {}

/** Visits the records of a .gz log from the newest backwards; bytesRead counts the compressed bytes. */
export function readGzipBackward(path: string, visit: (record: unknown) => boolean, maxBytes: number, opts: Pick<TailReadOptions, 'skim'> = {}): TailReadStats {
  const opened = openRegularForRead(path);
  if (opened === null) return { skipped: 0, bytesRead: 0, linesRead: 0 };
  let packed: Buffer;
  try {
    if (opened.size > maxBytes) throw new RotatedUnreadable(`it is ${formatBytes(opened.size)} compressed, more than the ${formatBytes(maxBytes)} a history read may cost`);
    packed = readWhole(opened.fd, opened.size);
  } finally {
    fs.closeSync(opened.fd);
  }
  const stats = readBytesBackward(gunzip(packed, maxBytes), visit, opts);
  return { ...stats, bytesRead: packed.length };
}

function readWhole(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = fs.readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

function gunzip(packed: Buffer, maxBytes: number): Buffer {
  try {
    return loadZlib().gunzipSync(packed, { maxOutputLength: maxBytes });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE') throw new RotatedUnreadable(`it holds more than ${formatBytes(maxBytes)} uncompressed, more than a history read may cost`);
    throw new RotatedUnreadable(`it is not a valid gzip file (${e.message})`);
  }
}
