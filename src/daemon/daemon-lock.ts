// One daemon per log file: the lock `<log_file>.lock` holds the daemon's pid. A live holder stops a
// second daemon at once; a stale lock (dead pid) is taken over; a lock that holds our own pid was left
// by an earlier life of this pid (pid 1 in a restarted container) and is taken over too.
import { lstatSync, unlinkSync } from 'node:fs';
import { GuardError } from '../errors.js';
import { parsePid, readLock, tryLock } from '../log/lock.js';

/** The daemon's lock file for a log. */
export function daemonLockPath(logFile: string): string {
  return `${logFile}.lock`;
}

/** A held daemon lock. */
export interface DaemonLock {
  path: string;
  /** Re-takes the lock when its file went away (folder removed); returns a line to log, or null. */
  check(): string | null;
  release(): void;
}

/** Takes the daemon lock for `logFile`; throws GuardError LOCKED when a live daemon holds it. */
export function takeDaemonLock(logFile: string, pid = process.pid): DaemonLock {
  const path = daemonLockPath(logFile);
  let release = acquire(logFile, path, pid);
  // The lock file as we last saw it hold our pid: while it is unchanged, one lstat per cycle says it still does.
  let ours = fileId(path);
  let last: string | null = null;
  // The same problem is reported once, not every cycle.
  const once = (line: string | null): string | null => {
    const fresh = line !== last ? line : null;
    last = line;
    return fresh;
  };
  return {
    path,
    check() {
      const seen = fileId(path);
      if (seen !== null && seen === ours) return once(null);
      const holder = readPid(path);
      ours = holder === pid ? seen : null;
      if (holder === pid) return once(null);
      if (holder !== null && holder !== undefined) return once(`lock file ${path} now holds pid ${holder}, not ours (${pid}): another daemon may be running on ${logFile}`);
      try {
        release = acquire(logFile, path, pid);
        ours = fileId(path);
        return once(`lock file ${path} was gone; taken again`);
      } catch (err) {
        return once(`lock file ${path} was gone and cannot be taken again: ${(err as Error).message}`);
      }
    },
    release() {
      try {
        release();
      } catch {
        // The folder may be gone or broken; nothing is left to release then.
      }
    },
  };
}

function acquire(logFile: string, path: string, pid: number): () => void {
  let lock = attempt(path, pid);
  if (!lock.acquired && lock.pid === pid) {
    unlinkSync(path); // our own pid from an earlier life: nobody else can hold it
    lock = attempt(path, pid);
  }
  if (lock.acquired) return lock.release;
  const who = lock.pid === null ? 'a process that is starting (no pid yet)' : `pid ${lock.pid}`;
  throw new GuardError('LOCKED', `log ${logFile} is locked by a running daemon (${who}, lock file ${lock.path})`, {
    hint: `stop it first (${lock.pid === null ? 'kill -TERM its pid' : `kill -TERM ${lock.pid}`}, or systemctl stop anomaly-guard), or point log_file elsewhere`,
  });
}

function attempt(path: string, pid: number): ReturnType<typeof tryLock> {
  try {
    return tryLock(path, { pid });
  } catch (err) {
    throw new GuardError('LOG_UNWRITABLE', (err as Error).message, { hint: 'make the log folder writable or point log_file somewhere writable' });
  }
}

// Which file is at `path`, and its size and change time (a rewrite in place changes them); null when none.
function fileId(path: string): string | null {
  try {
    const st = lstatSync(path, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

// The pid in the lock file: undefined when the file is gone, null when it holds no valid pid.
function readPid(path: string): number | null | undefined {
  try {
    const text = readLock(path);
    return text === null ? undefined : parsePid(text);
  } catch {
    return undefined;
  }
}
