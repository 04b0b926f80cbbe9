// Opening the files the config names without being tricked. A file the guard appends to is opened with
// O_NOFOLLOW and O_NONBLOCK and checked on its descriptor: never through a symbolic link, only a regular
// file, and when running as root only a file root owns with one link (systemd-tmpfiles and logrotate
// refuse the same: another user could plant a link or hard-link /etc/shadow there). A small file the
// guard reads (the config, a CA bundle, /proc and cgroup files) must be a regular file and is read up to
// a bound, so /dev/zero cannot fill memory and a FIFO cannot block the process.
import fs from 'node:fs';

const { O_APPEND, O_CREAT, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR } = fs.constants;

/** The most the guard reads of a small file it is named (a CA bundle, a /proc or cgroup file, a lock). */
export const SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024;

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

/** Opens `path` to append (created with `mode` when missing; `read` also allows reading); throws FileRefused
 * for a link, a file that is not regular (the null device when `allowNull`), or as root one not ours. */
export function openForAppend(path: string, opts: { mode: number; read?: boolean; allowNull?: boolean }): number {
  let fd: number;
  try {
    fd = fs.openSync(path, (opts.read ? O_RDWR : fs.constants.O_WRONLY) | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, opts.mode);
  } catch (err) {
    // ELOOP: the last component is a link (O_NOFOLLOW); ENXIO: a FIFO without a reader or a socket.
    const code = (err as NodeJS.ErrnoException).code;
    const seen = code === 'ELOOP' || code === 'ENXIO' ? lstatOrNull(path) : null;
    const refused = seen === null ? null : writeRefusal(path, seen, { euid: effectiveUid(), allowNull: opts.allowNull ?? false });
    throw refused ?? err;
  }
  const refused = writeRefusal(path, fs.fstatSync(fd), { euid: effectiveUid(), allowNull: opts.allowNull ?? false });
  if (refused === null) return fd;
  fs.closeSync(fd);
  throw refused;
}

function lstatOrNull(path: string): fs.Stats | null {
  try {
    return fs.lstatSync(path);
  } catch {
    return null;
  }
}

/** Opens an existing file to read only if it is a regular file (a FIFO never blocks the open); null when missing. */
export function openRegularForRead(path: string, opts: { follow?: boolean } = {}): { fd: number; size: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | (opts.follow === false ? O_NOFOLLOW : 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ELOOP' && opts.follow === false) throw new FileRefused(path, 'link', `is a symbolic link${linkTarget(path)}, not a regular file`);
    if (code === 'ENXIO') throw new FileRefused(path, 'type', 'is a socket, not a regular file');
    throw err;
  }
  const st = fs.fstatSync(fd);
  const kind = kindOfFile(st);
  if (kind === null) return { fd, size: st.size };
  fs.closeSync(fd);
  throw new FileRefused(path, 'type', `is ${kind}, not a regular file`);
}

/** Reads a small regular file whole as UTF-8, following links; refuses any other kind of file and one over
 * `maxBytes` (also one that says it is smaller and is not: /proc files have size 0). */
export function readSmallFileSync(path: string, maxBytes: number): string {
  refuseSpecial(path, fs.statSync(path)); // before opening: opening a device may itself do something
  const opened = openRegularForRead(path);
  if (opened === null) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT', path });
  try {
    if (opened.size > maxBytes) throw tooLarge(path, opened.size, maxBytes);
    const reader = boundedReader(path, opened.size, maxBytes);
    while (reader.more()) reader.took(fs.readSync(opened.fd, ...reader.space()));
    return reader.text();
  } finally {
    fs.closeSync(opened.fd);
  }
}

/** readSmallFileSync for the async paths (the probe's CA file, /proc and cgroup files). */
export async function readSmallFile(path: string, maxBytes: number): Promise<string> {
  refuseSpecial(path, await fs.promises.stat(path));
  const handle = await fs.promises.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  try {
    const st = await handle.stat();
    refuseSpecial(path, st);
    if (st.size > maxBytes) throw tooLarge(path, st.size, maxBytes);
    const reader = boundedReader(path, st.size, maxBytes);
    while (reader.more()) reader.took((await handle.read(...reader.space())).bytesRead);
    return reader.text();
  } finally {
    await handle.close();
  }
}

function refuseSpecial(path: string, st: fs.Stats): void {
  const kind = kindOfFile(st);
  if (kind !== null) throw new FileRefused(path, 'type', `is ${kind}, not a regular file`);
}

// A growing buffer that takes reads until end of file, and refuses a file past maxBytes.
function boundedReader(path: string, size: number, maxBytes: number) {
  const cap = maxBytes + 1;
  let buf = Buffer.allocUnsafe(Math.min(cap, Math.max(size + 1, 64 * 1024)));
  let got = 0;
  let eof = false;
  return {
    more: (): boolean => !eof && got < cap,
    space(): [Buffer, number, number, null] {
      if (got === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(cap, buf.length * 2));
        buf.copy(bigger, 0, 0, got);
        buf = bigger;
      }
      return [buf, got, buf.length - got, null];
    },
    took(n: number): void {
      if (n === 0) eof = true;
      got += n;
    },
    text(): string {
      if (got > maxBytes) throw tooLarge(path, null, maxBytes);
      return buf.toString('utf8', 0, got);
    },
  };
}

function tooLarge(path: string, size: number | null, maxBytes: number): FileRefused {
  return new FileRefused(path, 'size', `is ${size === null ? 'larger' : `${formatBytes(size)}, larger`} than ${formatBytes(maxBytes)}, the most the guard reads of it`);
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
