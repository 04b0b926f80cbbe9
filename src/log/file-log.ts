// The log file as the cycle sees it: appends through one appender opened on first use, tail reads backwards.
import { existsSync } from 'node:fs';
import type { GuardLog } from '../cycle/deps.js';
import { FileRefused } from '../effects/safe-file.js';
import { GuardError } from '../errors.js';
import { openLogAppender, type LogAppender } from './appender.js';
import { readLogBackward, type TailReadStats } from './tail-reader.js';

/** How far back a check may read for its history (a log of failures only must not cost a full scan). */
export const MAX_TAIL_BYTES = 64 * 1024 * 1024;

/** A GuardLog over a real file; close() releases the descriptor. */
export function fileGuardLog(path: string, opts: { fileMode?: number; dirMode?: number } = {}): GuardLog & { close(): void } {
  let appender: LogAppender | null = null;
  return {
    append(record) {
      appender ??= openLogAppender(path, opts);
      appender.append(record);
    },
    readBackward(visit) {
      try {
        return readThroughRotation(path, visit);
      } catch (err) {
        throw logReadError(path, err);
      }
    },
    close() {
      appender?.close();
      appender = null;
    },
  };
}

/** Reads the live log backwards and, when its start is reached with the history still incomplete (just after
 * logrotate), goes on into `<log>.1`: the baseline and the heal budget survive a rotation. */
function readThroughRotation(path: string, visit: (record: unknown) => boolean): TailReadStats {
  let more = true;
  const tracked = (record: unknown): boolean => (more = visit(record));
  const live = readLogBackward(path, tracked, { maxBytes: MAX_TAIL_BYTES });
  const rotated = `${path}.1`;
  if (!more || live.bytesRead >= MAX_TAIL_BYTES || !existsSync(rotated)) return live;
  const old = readLogBackward(rotated, tracked, { maxBytes: MAX_TAIL_BYTES - live.bytesRead });
  return { skipped: live.skipped + old.skipped, bytesRead: live.bytesRead + old.bytesRead, linesRead: live.linesRead + old.linesRead };
}

/** A failed log read as a GuardError naming the file and the cause. */
export function logReadError(path: string, err: unknown): GuardError {
  const cause = (err as { cause?: NodeJS.ErrnoException }).cause ?? (err as NodeJS.ErrnoException);
  if (cause instanceof FileRefused) return new GuardError('LOG_UNREADABLE', `cannot read log ${path}: ${cause.what}`, { hint: 'point log_file at a regular file' });
  const why: Record<string, string> = { ENOTDIR: 'a part of the path is a file, not a folder', EACCES: 'permission denied', EISDIR: 'it is a folder, not a file' };
  const code = cause.code ?? '';
  return new GuardError('LOG_UNREADABLE', `cannot read log ${path}: ${why[code] ?? cause.message} (${code || 'error'})`, {
    hint: 'point log_file at a file in a folder this user can read and write',
  });
}
