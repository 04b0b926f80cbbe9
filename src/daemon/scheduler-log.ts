// logs/scheduler.log: one readable line per daemon event (start, stop, reload, cycle start/end, skip,
// timeout). Written with one append per line; a failure to write it never stops the daemon. Like the
// log, it is never written through a link, and only to a regular file (or the null device).
import { closeSync, mkdirSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatTs } from '../core/format.js';
import { describeFsError } from '../effects/procfs.js';
import { FileRefused } from '../effects/file-refusal.js';
import { openForAppend } from '../effects/safe-file.js';

/** A line writer for the scheduler log; `write` reports (once per failure streak) instead of throwing. */
export interface SchedulerLog {
  write(message: string): void;
}

/** Opens the scheduler log at `path` (folder created 0750, file 0640); every line is also given to `echo`. */
export function schedulerLog(path: string, nowMs: () => number, echo: (line: string) => void, onError: (msg: string) => void): SchedulerLog {
  let failing = false;
  return {
    write(message) {
      const line = `${formatTs(nowMs())} ${message}`;
      echo(line);
      try {
        appendLine(path, `${line}\n`);
        failing = false;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why = err instanceof FileRefused ? err.what : `${describeFsError(err)}${code ? ` (${code})` : ''}`;
        if (!failing) onError(`cannot write scheduler log ${path}: ${why}`);
        failing = true;
      }
    },
  };
}

// The folder is made only when the open finds it missing (no mkdir for every line).
function appendLine(path: string, text: string): void {
  const open = () => openForAppend(path, { mode: 0o640, allowNull: true });
  let fd: number;
  try {
    fd = open();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
    fd = open();
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
