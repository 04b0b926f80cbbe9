// The log file as the cycle sees it: appends through one appender opened on first use, tail reads backwards.
import type { GuardLog } from '../cycle/deps.js';
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
    readBackward: (visit) => readLogBackward(path, visit, { maxBytes: MAX_TAIL_BYTES }),
    close() {
      appender?.close();
      appender = null;
    },
  };
}
