// A lock naming its owner's pid (one daemon per log, one heal at a time); a stale lock (dead pid) is taken
// over. The lock is a symbolic link whose target is its text, `<pid> start:<boot>:<ticks>[ heal:<pid>:<ticks>]`
// (as Emacs and Firefox lock files are): creating one is atomic and usually needs no data block, so a lock
// can be taken on a full disk. `start` says which boot and process the pid was (from /proc): a lock from an
// earlier boot is stale whatever its pids, and a pid reused since does not make it look held. `heal` names
// the heal command's own process (pid and start time) while a heal runs. On a file system without links
// the lock is a regular file holding the same text; one holding `<pid>\n[group <pgid>\n]` or
// `… group:<pgid>` (an older version's lock) is read the same way, the group's number being its leader's pid.

import fs from 'node:fs';
import { dirname } from 'node:path';
import { FileRefused } from '../effects/file-refusal.js';
import { readSmallFileSync } from '../effects/safe-file.js';

/** The outcome of tryLock: the lock with its release, or who holds it. */
export type LockResult =
  | { acquired: true; path: string; release(): void; holdHeal(pid: number): void }
  | { acquired: false; path: string; pid: number | null };

/** Options of tryLock. */
export interface LockOptions {
  /** The pid written to the lock (default: this process). */
  pid?: number;
  /** A symbolic link (default), or a regular file as on a file system without links (used there anyway). */
  links?: boolean;
}

// The errors of a file system without symbolic links (vfat, exFAT, CIFS without Unix extensions, some FUSE).
const NO_LINKS = new Set(['EPERM', 'EOPNOTSUPP', 'ENOTSUP', 'ENOSYS']);

// A lock without a valid pid younger than this is being written right now; older, it is stale.
const NO_PID_GRACE_MS = 5000;

/** Takes a lock (an exclusive create naming our pid); a stale lock whose pid is dead is taken over; never blocks. */
export function tryLock(path: string, opts: LockOptions = {}): LockResult {
  const pid = opts.pid ?? process.pid;
  const links = opts.links ?? true;
  makeFolder(path);
  // Three tries: a lock released under us, a stale lock removed, a dead takeover guard cleared.
  for (let attempt = 0; attempt < 3; attempt++) {
    const start = processIdentity(pid);
    const head = start === null ? `${pid}` : `${pid} start:${start}`;
    if (createExclusive(path, head, links)) return { acquired: true, path, release: () => releaseLock(path, pid), holdHeal: (heal) => holdHeal(path, head, heal, links) };
    const seen = readLock(path);
    if (seen === null) continue; // Released between our open and our read: try again.
    if (!isStale(path, seen)) return { acquired: false, path, pid: parsePid(seen) };
    const taker = takeOverStale(path, seen, pid, links);
    if (taker !== null) return { acquired: false, path, pid: taker };
  }
  const last = readLock(path);
  return { acquired: false, path, pid: last === null ? null : parsePid(last) };
}

// Stale: taken in an earlier boot, or its pid is dead (or another process now) and so is the heal it names.
// What the heal started (a service in the background, in its group) does not hold the lock: only the heal runs.
function isStale(path: string, seen: string): boolean {
  const holder = parsePid(seen);
  const start = parseStart(seen);
  const boot = currentBoot();
  if (start !== null && boot !== null && start.split(':')[0] !== boot) return true;
  const heal = parseHeal(seen);
  const healRuns = heal !== null && running(heal.pid, heal.ticks);
  return (holder !== null ? !holds(holder, start) : ageMs(path) > NO_PID_GRACE_MS) && !healRuns;
}

/** Reads the pid in a lock's text (its first word); null when it holds no valid pid. */
export function parsePid(text: string): number | null {
  const m = /^\s*(\d{1,10})(?:\s|$)/.exec(text);
  const pid = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** True when a process with this pid exists (EPERM means it exists but is not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Which process a pid is: `<boot id, first 8 characters>:<start time in clock ticks since boot>` from /proc;
 * null where /proc cannot tell (not Linux, the process is gone, /proc hidden). Short, so that the lock's
 * link stays within the inode (ext4 keeps up to 59 characters there).
 */
export function processIdentity(pid: number, proc = '/proc'): string | null {
  try {
    const start = parseStartTime(fs.readFileSync(`${proc}/${pid}/stat`, 'utf8'));
    const boot = currentBoot(proc);
    return start === null || boot === null ? null : `${boot}:${start}`;
  } catch {
    return null;
  }
}

/** The first 8 characters of this boot's id; null where /proc cannot tell. */
export function currentBoot(proc = '/proc'): string | null {
  try {
    const boot = fs.readFileSync(`${proc}/sys/kernel/random/boot_id`, 'utf8').trim().slice(0, 8);
    return boot === '' ? null : boot;
  } catch {
    return null;
  }
}

/** Field 22 (starttime) of a /proc/<pid>/stat line; the command name (field 2) may hold spaces and ')'. */
export function parseStartTime(stat: string): string | null {
  const fields = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
  const start = fields[19]; // fields[0] is field 3 (state)
  return start !== undefined && /^\d+$/.test(start) ? start : null;
}

// The holder still holds the lock: its pid runs and, when the lock recorded it, is the same process.
function holds(pid: number, recorded: string | null): boolean {
  if (!running(pid, null)) return false;
  if (recorded === null) return true;
  const now = processIdentity(pid);
  return now === null || now === recorded;
}

// The pid runs (not a zombie: an orphan's init may be slow to reap it) and, when given, started at `ticks`.
function running(pid: number, ticks: string | null): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return isAlive(pid); // No /proc (or hidden): the pid alone says.
  }
  if (/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 1).trim())) return false;
  return ticks === null || parseStartTime(stat) === ticks;
}

function parseStart(text: string): string | null {
  const m = /(?:^|\s)start:(\S+)/.exec(text);
  return m ? (m[1] as string) : null;
}

// Removes the stale lock whose text was `seen`, under a short-lived guard file so that two
// processes taking over the same stale lock cannot remove each other's fresh lock.
// Returns null when the caller may retry, or the pid of a process taking it over right now.
function takeOverStale(path: string, seen: string, pid: number, links: boolean): number | null {
  const guard = `${path}.takeover`;
  if (!createExclusive(guard, `${pid}`, links)) {
    const text = readLock(guard);
    if (text === null) return null;
    if (ageMs(guard) <= NO_PID_GRACE_MS) return parsePid(text);
    removeIfHolds(guard, text); // Left by a process that died mid-takeover.
    return null;
  }
  try {
    removeIfHolds(path, seen);
  } finally {
    removeIfHolds(guard, `${pid}`);
  }
  return null;
}

function makeFolder(path: string): void {
  try {
    // 0750 like the log's own folder: the lock is often the first file made there (a daemon's start).
    fs.mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  } catch (err) {
    // EEXIST: a file sits where the folder should be; creating the lock reports it.
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(path, err);
  }
}

// A lock may also name the heal command's process (`heal:<pid>:<ticks>`; an older version's `group <pgid>` names
// it by its group, whose number is its pid). The lock is held while that process runs, even when the pid that
// took the lock died (kill -9 of a daemon mid-heal): a restarted daemon must not start a second heal beside it.
function parseHeal(text: string): { pid: number; ticks: string | null } | null {
  const m = /(?:^|\s)(?:heal:(\d{1,10})(?::(\d+))?|group[ :](\d{1,10}))(?:\s|$)/.exec(text);
  if (!m) return null;
  return { pid: Number(m[1] ?? m[3]), ticks: m[2] ?? null };
}

// Rewrites our lock as `<head> heal:<pid>:<ticks>` (a new lock renamed over it, so a reader never sees half a lock).
function holdHeal(path: string, head: string, heal: number, links: boolean): void {
  const text = readLock(path);
  const pid = parsePid(head) as number;
  if (text === null || parsePid(text) !== pid) return;
  const ticks = processIdentity(heal)?.split(':')[1];
  const tmp = `${path}.${pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  if (!createExclusive(tmp, `${head} heal:${heal}${ticks === undefined ? '' : `:${ticks}`}`, links)) throw lockError(tmp, Object.assign(new Error('file exists'), { code: 'EEXIST' }));
  fs.renameSync(tmp, path);
}

function releaseLock(path: string, pid: number): void {
  const text = readLock(path);
  if (text !== null && parsePid(text) === pid) removeIfHolds(path, text);
}

function removeIfHolds(path: string, text: string): void {
  if (readLock(path) !== text) return;
  try {
    fs.unlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw lockError(path, err);
  }
}

// Creates the lock only if absent: a link whose target is `text`, or (no links) a file holding it; false
// when it already exists.
function createExclusive(path: string, text: string, links: boolean): boolean {
  if (!links) return createFile(path, text);
  try {
    fs.symlinkSync(text, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (NO_LINKS.has(code)) return createFile(path, text);
    throw lockError(path, err);
  }
}

// The same as a regular file (O_EXCL), for a file system without links.
function createFile(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(path, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockError(path, err);
  }
  try {
    fs.writeSync(fd, text);
  } catch (err) {
    fs.unlinkSync(path);
    throw lockError(path, err);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

/** A lock's text: its link's target, or a regular file's content (an older lock); null when there is none. */
export function readLock(path: string): string | null {
  try {
    return fs.readlinkSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code !== 'EINVAL') throw lockError(path, err);
  }
  try {
    // Not a link: a regular file's text, read without blocking (a FIFO there must not hang the guard).
    return readSmallFileSync(path, LOCK_MAX_BYTES);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (err instanceof FileRefused) {
      const what = err.reason === 'size' ? `is larger than ${LOCK_MAX_BYTES} bytes` : err.what.replace(/, not a regular file$/, '');
      throw new Error(`cannot use lock file ${path}: it ${what}, not a lock; remove it`, { cause: err });
    }
    throw lockError(path, err);
  }
}

// A lock's text is one short line; a bigger file is not a lock.
const LOCK_MAX_BYTES = 4096;

function ageMs(path: string): number {
  try {
    return Date.now() - fs.lstatSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function lockError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
  return new Error(`cannot use lock file ${path}: ${(err as Error).message} (${code}); make its folder writable`, {
    cause: err,
  });
}
