// The log file as the cycle sees it: appends through one appender opened on first use, tail reads backwards,
// on into the newest rotated file (whatever logrotate named it, gzip included) when the live log is short.
import { FileRefused } from '../effects/file-refusal.js';
import type { GuardLog } from '../cycle/deps.js';
import { GuardError } from '../errors.js';
import { openLogAppender, type LogAppender } from './appender.js';
import { readGzipBackward, RotatedUnreadable } from './gzip-tail.js';
import { newestRotated } from './rotated-files.js';
import { readLogBackward, type TailReadStats } from './tail-reader.js';

/** How far back a check may read for its history (a log of failures only must not cost a full scan). */
export const MAX_TAIL_BYTES = 64 * 1024 * 1024;

/** What a daemon remembers of its log between cycles: the `ts` of the newest record it wrote. */
export interface LogMemory {
  lastTs: string | null;
}

/** A daemon's memory of its log, empty at start. */
export function logMemory(): LogMemory {
  return { lastTs: null };
}

/** Options of fileGuardLog: modes of what it creates, where warnings go, the daemon's memory of the log. */
export interface FileGuardLogOptions {
  fileMode?: number;
  dirMode?: number;
  /** A problem that does not stop the cycle (a rotated file that cannot be read, records gone). */
  warn?: (line: string) => void;
  /** Given by a daemon: lets the read notice that the records it wrote earlier are gone. */
  memory?: LogMemory;
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
      const ts = (record as { ts?: unknown }).ts;
      if (opts.memory && typeof ts === 'string') opts.memory.lastTs = ts;
    },
    readBackward(visit) {
      try {
        return readThroughRotation(path, visit, opts);
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
 * logrotate), goes on into the newest rotated file: the baseline and the heal budget survive a rotation. */
function readThroughRotation(path: string, visit: (record: unknown) => boolean, opts: FileGuardLogOptions): TailReadStats {
  const max = opts.maxTailBytes ?? MAX_TAIL_BYTES;
  const lastTs = opts.memory?.lastTs ?? null;
  let more = true;
  let seen = false;
  const tracked = (record: unknown): boolean => {
    if (lastTs !== null && (record as { ts?: unknown }).ts === lastTs) seen = true;
    return (more = visit(record));
  };
  const live = readLogBackward(path, tracked, { maxBytes: max });
  let stats = live;
  // Everything on disk was read when the scan ran out of records, not out of budget.
  let whole = more && live.bytesRead < max;
  const rotated = whole ? newestRotated(path) : null;
  if (rotated !== null) {
    const budget = max - live.bytesRead;
    try {
      const old = rotated.gzip ? readGzipBackward(rotated.path, tracked, budget) : readLogBackward(rotated.path, tracked, { maxBytes: budget });
      stats = { skipped: live.skipped + old.skipped, bytesRead: live.bytesRead + old.bytesRead, linesRead: live.linesRead + old.linesRead };
      whole = more && old.bytesRead < budget;
    } catch (err) {
      whole = false;
      opts.warn?.(`cannot read the rotated log ${rotated.path}: ${rotatedProblem(err)}; the history before it is not used`);
    }
  }
  if (lastTs !== null && whole && !seen) recordsGone(path, lastTs, opts);
  return stats;
}

function rotatedProblem(err: unknown): string {
  if (err instanceof RotatedUnreadable) return err.message;
  const cause = (err as { cause?: unknown }).cause ?? err;
  if (cause instanceof FileRefused) return `it ${cause.what}`;
  return (cause as Error).message;
}

// The daemon wrote a record the log no longer holds: deleted, or truncated without a copy. Nothing is left
// to read, so the guard can only say what that costs, once.
function recordsGone(path: string, lastTs: string, opts: FileGuardLogOptions): void {
  if (opts.memory) opts.memory.lastTs = null;
  opts.warn?.(
    `log ${path}: the records this daemon wrote up to ${lastTs} are gone (the log was deleted or truncated, and no rotated file holds them); ` +
      'the heal budget (cooldown, max_per_hour) and the latency baseline start over from what is left',
  );
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
