// The log file as the cycle sees it: appends through one appender opened on first use, tail reads backwards.
import type { GuardLog } from '../cycle/deps.js';
import { GuardError } from '../errors.js';
import { openLogAppender, type LogAppender } from './appender.js';
import { readLogBackward } from './tail-reader.js';

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
        return readLogBackward(path, visit, { maxBytes: MAX_TAIL_BYTES });
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

/** A failed log read as a GuardError naming the file and the cause. */
export function logReadError(path: string, err: unknown): GuardError {
  const cause = (err as { cause?: NodeJS.ErrnoException }).cause ?? (err as NodeJS.ErrnoException);
  const why: Record<string, string> = { ENOTDIR: 'a part of the path is a file, not a folder', EACCES: 'permission denied', EISDIR: 'it is a folder, not a file' };
  const code = cause.code ?? '';
  return new GuardError('LOG_UNREADABLE', `cannot read log ${path}: ${why[code] ?? cause.message} (${code || 'error'})`, {
    hint: 'point log_file at a file in a folder this user can read and write',
  });
}
