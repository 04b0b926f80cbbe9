// The log file as the cycle sees it: appends through one appender opened on first use, tail reads backwards,
// on into the newest rotated file (whatever logrotate named it, gzip included) when the live log is short.
import { FileRefused } from '../effects/file-refusal.js';
import { GuardError } from '../errors.js';
import { openLogAppender, type LogAppender } from './appender.js';
import { readGzipBackward, RotatedUnreadable } from './gzip-tail.js';
import { newestRotated } from './rotated-files.js';
import { readLogBackward, type TailReadOptions, type TailReadStats } from './tail-reader.js';

/** The log as the cycle uses it: append records, read the tail backwards. */
export interface GuardLog {
  append(record: object): void;
  readBackward(visit: (record: unknown) => boolean): TailReadStats;
}

/** How far back a check may read for its history (a log of failures only must not cost a full scan). */
export const MAX_TAIL_BYTES = 64 * 1024 * 1024;

/** Options of fileGuardLog: modes of what it creates, where warnings go. */
export interface FileGuardLogOptions {
  fileMode?: number;
  dirMode?: number;
  /** A problem that does not stop the cycle (a rotated file that cannot be read). */
  warn?: (line: string) => void;
  /** The most a history read may cost (default MAX_TAIL_BYTES). */
  maxTailBytes?: number;
}

/** A GuardLog over a real file; close() releases the descriptor. */
export function fileGuardLog(path: string, opts: FileGuardLogOptions = {}): GuardLog & { close(): void } {
  let appender: LogAppender | null = null;
  return {
    append(record) {
      appender ??= openLogAppender(path, opts);
      appender.append(record);
    },
    readBackward(visit) {
      try {
        return readTailThroughRotation(path, visit, opts);
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

/** Reads the live log backwards and, when its start is reached with the visitor still wanting more (just after
 * logrotate), goes on into the newest rotated file: the baseline, the heal budget and what `status` shows
 * survive a rotation. At most `maxTailBytes` (default MAX_TAIL_BYTES) in all. */
export function readTailThroughRotation(
  path: string,
  visit: (record: unknown) => boolean,
  opts: Pick<FileGuardLogOptions, 'warn' | 'maxTailBytes'> & Pick<TailReadOptions, 'skim'> = {},
): TailReadStats {
  const max = opts.maxTailBytes ?? MAX_TAIL_BYTES;
  let more = true;
  const tracked = (record: unknown): boolean => (more = visit(record));
  const live = readLogBackward(path, tracked, { maxBytes: max, skim: opts.skim });
  let stats = live;
  // The scan ran out of records, not out of budget: the history goes on in the rotated file.
  const rotated = more && live.bytesRead < max ? newestRotated(path) : null;
  if (rotated !== null) {
    const budget = max - live.bytesRead;
    try {
      const old = rotated.gzip ? readGzipBackward(rotated.path, tracked, budget, opts) : readLogBackward(rotated.path, tracked, { maxBytes: budget, skim: opts.skim });
      stats = { skipped: live.skipped + old.skipped, bytesRead: live.bytesRead + old.bytesRead, linesRead: live.linesRead + old.linesRead };
    } catch (err) {
      opts.warn?.(`cannot read the rotated log ${rotated.path}: ${rotatedProblem(err)}; the history before it is not used`);
    }
  }
  return stats;
}

function rotatedProblem(err: unknown): string {
  if (err instanceof RotatedUnreadable) return err.message;
  const cause = (err as { cause?: unknown }).cause ?? err;
  if (cause instanceof FileRefused) return `it ${cause.what}`;
  return (cause as Error).message;
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
