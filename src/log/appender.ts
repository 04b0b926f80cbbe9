// Appends one JSON record per line to the NDJSON log: one write per record, no torn line left behind.

import fs from 'node:fs';
import { dirname } from 'node:path';
import { FileRefused, fixFor } from '../effects/file-refusal.js';
import { openForAppendSized } from '../effects/safe-file.js';

/** Writes records to the log file, one line each. */
export interface LogAppender {
  append(record: object): void;
  close(): void;
}

/** Permissions for a log file and folder this appender creates. */
export interface AppenderOptions {
  /** Mode of a new log file (default 0o640, umask permitting). */
  fileMode?: number;
  /** Mode of new parent folders (default 0o750, umask permitting). */
  dirMode?: number;
}

const HINTS: Record<string, [what: string, fix: string]> = {
  EACCES: ['permission denied', 'make the folder writable or set log_file'],
  EPERM: ['operation not permitted', 'make the folder writable or set log_file'],
  ENOTDIR: ['a part of the path is not a folder', 'set log_file to a path inside a folder'],
  EISDIR: ['the path is a folder', 'set log_file to a file path'],
  ENOSPC: ['no space left on device', 'free disk space or set log_file on another disk'],
  EDQUOT: ['disk quota exceeded', 'free disk space or set log_file on another disk'],
  EFBIG: ['file size limit reached', 'rotate the log or raise the file size limit (ulimit -f)'],
  EROFS: ['read-only file system', 'set log_file to a writable place'],
  EBADF: ['the log is closed', 'open the log again before appending'],
};

/** A log write that failed: names the file, the errno code and what would fix it. */
export class LogWriteError extends Error {
  readonly path: string;
  readonly code: string;
  readonly hint: string;
  constructor(path: string, code: string, detail?: string, refused?: FileRefused) {
    const [what, fix] = refused ? [refused.what, fixFor(refused, 'log_file')] : (HINTS[code] ?? [detail ?? 'write failed', 'check the disk and log_file']);
    super(`cannot write log ${path}: ${what}${refused ? '' : ` (${code})`}; ${fix}`);
    this.name = 'LogWriteError';
    this.path = path;
    this.code = code;
    this.hint = fix;
  }
}

function toLogWriteError(path: string, err: unknown): LogWriteError {
  if (err instanceof FileRefused) return new LogWriteError(path, 'EREFUSED', undefined, err);
  const e = err as NodeJS.ErrnoException;
  return new LogWriteError(path, e.code ?? 'EIO', e.message);
}

// A file whose last byte is not '\n' ends with a torn line from an earlier crash.
function endsTorn(fd: number, size: number): boolean {
  if (size === 0) return false;
  const last = Buffer.alloc(1);
  fs.readSync(fd, last, 0, 1, size - 1);
  return last[0] !== 0x0a;
}

// Never through a link, only a regular file (as root: ours, with one link); see effects/safe-file.ts. The folder is
// made only when the open finds it missing (a daemon appends every cycle: no mkdir each time).
function openFile(path: string, opts: AppenderOptions): { fd: number; size: number } {
  const open = () => openForAppendSized(path, { mode: opts.fileMode ?? 0o640, read: true });
  try {
    return open();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    fs.mkdirSync(dirname(path), { recursive: true, mode: opts.dirMode ?? 0o750 });
  } catch (err) {
    // EEXIST: a FILE sits where the folder should be; the open below reports it as ENOTDIR.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return open();
}

/** Opens (creating if needed) the log for appending; throws LogWriteError when it cannot. */
export function openLogAppender(path: string, opts: AppenderOptions = {}): LogAppender {
  let fd: number | null = null;
  let torn: boolean;
  try {
    const opened = openFile(path, opts);
    fd = opened.fd;
    torn = endsTorn(fd, opened.size);
  } catch (err) {
    if (fd !== null) fs.closeSync(fd);
    throw toLogWriteError(path, err);
  }
  return {
    append(record) {
      if (fd === null) throw new LogWriteError(path, 'EBADF');
      // The torn fragment stays as its own (skipped) line; our record starts on a fresh one.
      const text = (torn ? '\n' : '') + JSON.stringify(record) + '\n';
      writeWhole(fd, path, Buffer.from(text, 'utf8'));
      torn = false;
    },
    close() {
      if (fd !== null) fs.closeSync(fd);
      fd = null;
    },
  };
}

// One write call per record. After a short write, one more write either completes the line or
// reports why (ENOSPC, EFBIG…); then the partial line is truncated away so no torn line remains.
function writeWhole(fd: number, path: string, buf: Buffer): void {
  let written = 0;
  try {
    written = fs.writeSync(fd, buf);
    if (written < buf.length) written += fs.writeSync(fd, buf, written);
    if (written === buf.length) return;
  } catch (err) {
    undoPartial(fd, written);
    throw toLogWriteError(path, err);
  }
  undoPartial(fd, written);
  throw new LogWriteError(path, 'EIO', `short write (${written} of ${buf.length} bytes)`);
}

function undoPartial(fd: number, written: number): void {
  if (written === 0) return;
  try {
    fs.ftruncateSync(fd, fs.fstatSync(fd).size - written);
  } catch {
    // Best effort: the write error is the one to report.
  }
}
