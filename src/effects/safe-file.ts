// Opening the files the config names without being tricked. A file the guard appends to is opened with
// O_NOFOLLOW and O_NONBLOCK and checked on its descriptor (effects/file-refusal.ts says what is refused).
// A small file the guard reads (the config, a CA bundle, /proc and cgroup files, a lock) must be a
// regular file and is read up to a bound, so /dev/zero cannot fill memory and a FIFO cannot block.
import fs from 'node:fs';
import { effectiveUid, FileRefused, formatBytes, kindOfFile, writeRefusal } from './file-refusal.js';

const { O_APPEND, O_CREAT, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY } = fs.constants;

/** The most the guard reads of a small file it is named (a CA bundle, a /proc or cgroup file, a lock). */
export const SMALL_FILE_MAX_BYTES = 4 * 1024 * 1024;

/** Opens `path` to append (created with `mode` when missing; `read` also allows reading); throws FileRefused
 * for a link, a file that is not regular (the null device when `allowNull`), or as root one not ours. */
export function openForAppend(path: string, opts: { mode: number; read?: boolean; allowNull?: boolean }): number {
  return openForAppendSized(path, opts).fd;
}

/** openForAppend, with the file's size when opened (from the one fstat that checked it). */
export function openForAppendSized(path: string, opts: { mode: number; read?: boolean; allowNull?: boolean }): { fd: number; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(path, (opts.read ? O_RDWR : O_WRONLY) | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, opts.mode);
  } catch (err) {
    // ELOOP: the last component is a link (O_NOFOLLOW); ENXIO: a FIFO without a reader or a socket.
    const code = (err as NodeJS.ErrnoException).code;
    const seen = code === 'ELOOP' || code === 'ENXIO' ? lstatOrNull(path) : null;
    const refused = seen === null ? null : writeRefusal(path, seen, { euid: effectiveUid(), allowNull: opts.allowNull ?? false });
    throw refused ?? err;
  }
  const st = fs.fstatSync(fd);
  const refused = writeRefusal(path, st, { euid: effectiveUid(), allowNull: opts.allowNull ?? false });
  if (refused === null) return { fd, size: st.size };
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
export function openRegularForRead(path: string): { fd: number; size: number } | null {
  let fd: number;
  try {
    fd = fs.openSync(path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
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
