// Why the guard refuses a file the config names, in words, and what would fix it: a symbolic link, something
// other than a regular file, and when running as root a file of another user or with a second hard link
// (systemd-tmpfiles and logrotate refuse the same: another user could plant a link, or hard-link
// /etc/shadow, where root will write). Shared by the opens (effects/safe-file.ts) and validate.
import fs from 'node:fs';

/** Why a file was refused: a link, not a regular file, another owner, more than one link, too large. */
export type RefusalReason = 'link' | 'type' | 'owner' | 'links' | 'size';

/** A file the guard will not use, with what is wrong (`what`, after the path) and what would fix it. */
export class FileRefused extends Error {
  readonly path: string;
  readonly reason: RefusalReason;
  readonly what: string;
  /** The owner's uid, for reason 'owner'. */
  readonly uid: number | null;
  constructor(path: string, reason: RefusalReason, what: string, uid: number | null = null) {
    super(`${path} ${what}`);
    this.name = 'FileRefused';
    this.path = path;
    this.reason = reason;
    this.what = what;
    this.uid = uid;
  }
}

/** What kind of file a stat names, in words ("a FIFO (named pipe)"); null for a regular file. */
export function kindOfFile(st: fs.Stats): string | null {
  if (st.isFile()) return null;
  if (st.isDirectory()) return 'a folder';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

let nullRdev: number | null | undefined;

/** True for the null device (/dev/null, or another node with its device number). */
export function isNullDevice(st: fs.Stats): boolean {
  if (nullRdev === undefined) nullRdev = statOrNull('/dev/null')?.rdev ?? null;
  return st.isCharacterDevice() && nullRdev !== null && st.rdev === nullRdev;
}

function statOrNull(path: string): fs.Stats | null {
  try {
    return fs.statSync(path);
  } catch {
    return null;
  }
}

/** The reason an existing file (as lstat sees it) may not be appended to by `euid`, or null when it may. */
export function writeRefusal(path: string, st: fs.Stats, opts: { euid: number | null; allowNull?: boolean }): FileRefused | null {
  if (st.isSymbolicLink()) return new FileRefused(path, 'link', `is a symbolic link${linkTarget(path)}; the guard never writes through a link`);
  if (opts.allowNull && isNullDevice(st)) return null;
  const kind = kindOfFile(st);
  if (kind !== null) return new FileRefused(path, 'type', `is ${kind}, not a regular file`);
  if (opts.euid === 0 && st.uid !== 0) return new FileRefused(path, 'owner', `is owned by uid ${st.uid}, not root; running as root, the guard writes only to its own files`, st.uid);
  if (opts.euid === 0 && st.nlink > 1) return new FileRefused(path, 'links', `has ${st.nlink} hard links; running as root, the guard writes only to a file with one (another name could be any file)`);
  return null;
}

function linkTarget(path: string): string {
  try {
    return ` (to ${fs.readlinkSync(path)})`;
  } catch {
    return '';
  }
}

/** What would fix a refused file the config names under `key` (log_file, scheduler_log, health.ca_file). */
export function fixFor(refused: FileRefused, key: string): string {
  switch (refused.reason) {
    case 'link':
      return `point ${key} at the file itself`;
    case 'owner':
      return `chown it to root, or run the guard as uid ${refused.uid ?? '(its owner)'}`;
    case 'links':
      return `remove the other names, or point ${key} at a new file`;
    default:
      return `point ${key} at a regular file`;
  }
}

/** The effective uid of this process (null where there is none, e.g. Windows). */
export function effectiveUid(): number | null {
  return typeof process.geteuid === 'function' ? process.geteuid() : null;
}

/** Bytes for people: "512 B", "1 MiB", "3.8 GiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${Number(v.toFixed(1))} ${units[i]}`;
}
