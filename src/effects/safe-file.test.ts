// Opening files safely on a real file system: appends never follow a link nor reach anything but a
// regular file (as root: one of root's, with one link); small reads refuse devices and FIFOs without
// blocking and stop at their bound, and still read /proc and /sys files (which say they are empty).
import { execFileSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileRefused, formatBytes } from './file-refusal.js';
import { openForAppend, readSmallFile, readSmallFileSync } from './safe-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-safe-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const asRoot = process.geteuid?.() === 0;

function refusal(fn: () => unknown): FileRefused {
  try {
    fn();
  } catch (err) {
    if (err instanceof FileRefused) return err;
    throw err;
  }
  throw new Error('expected a FileRefused');
}

describe('openForAppend', () => {
  it('creates a missing file with the mode and appends to it', () => {
    const file = join(dir, 'log');
    const fd = openForAppend(file, { mode: 0o640 });
    writeSync(fd, 'a\n');
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe('a\n');
  });

  it('refuses a symbolic link, also a dangling one, and leaves its target alone', () => {
    writeFileSync(join(dir, 'target'), 'precious\n');
    symlinkSync(join(dir, 'target'), join(dir, 'link'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(refusal(() => openForAppend(join(dir, 'link'), { mode: 0o640 })).what).toBe(`is a symbolic link (to ${join(dir, 'target')}); the guard never writes through a link`);
    expect(refusal(() => openForAppend(join(dir, 'dangling'), { mode: 0o640 })).reason).toBe('link');
    expect(readFileSync(join(dir, 'target'), 'utf8')).toBe('precious\n');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it.each([
    ['a FIFO without a reader (the open would fail with ENXIO)', (p: string) => execFileSync('mkfifo', [p]), 'is a FIFO (named pipe), not a regular file'],
    ['a folder', (p: string) => mkdirSync(p), null],
    ['/dev/null', null, 'is a character device, not a regular file'],
  ] as const)('refuses %s', (_name, make, what) => {
    const path = make === null ? '/dev/null' : join(dir, 'x');
    make?.(path);
    if (what === null) expect(() => openForAppend(path, { mode: 0o640 })).toThrow(/EISDIR/);
    else expect(refusal(() => openForAppend(path, { mode: 0o640 })).what).toBe(what);
  });

  it('refuses a socket', async () => {
    const path = join(dir, 'sock');
    const server = net.createServer();
    await new Promise<void>((done) => server.listen(path, done));
    try {
      expect(refusal(() => openForAppend(path, { mode: 0o640 })).what).toBe('is a socket, not a regular file');
    } finally {
      server.close();
    }
  });

  it('accepts the null device when allowed (scheduler_log: /dev/null)', () => {
    closeSync(openForAppend('/dev/null', { mode: 0o640, allowNull: true }));
    expect(refusal(() => openForAppend('/dev/zero', { mode: 0o640, allowNull: true })).reason).toBe('type');
  });

  it.runIf(asRoot)('as root: refuses a file of another user, and one with a second hard link', () => {
    const file = join(dir, 'log');
    writeFileSync(file, '');
    chownSync(file, 65534, 65534);
    expect(refusal(() => openForAppend(file, { mode: 0o640 })).what).toBe('is owned by uid 65534, not root; running as root, the guard writes only to its own files');
    chownSync(file, 0, 0);
    linkSync(file, join(dir, 'second'));
    expect(refusal(() => openForAppend(file, { mode: 0o640 })).reason).toBe('links');
  });
});

describe('readSmallFileSync / readSmallFile', () => {
  it('reads a regular file, through a link', async () => {
    writeFileSync(join(dir, 'real'), 'interval: 5m\n');
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    expect(readSmallFileSync(join(dir, 'link'), 1024)).toBe('interval: 5m\n');
    expect(await readSmallFile(join(dir, 'link'), 1024)).toBe('interval: 5m\n');
  });

  it('refuses a FIFO at once (nobody writes to it) and /dev/zero through a link, sync and async', async () => {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    symlinkSync('/dev/zero', join(dir, 'zero'));
    expect(refusal(() => readSmallFileSync(join(dir, 'fifo'), 1024)).what).toBe('is a FIFO (named pipe), not a regular file');
    expect(refusal(() => readSmallFileSync(join(dir, 'zero'), 1024)).what).toBe('is a character device, not a regular file');
    await expect(readSmallFile(join(dir, 'fifo'), 1024)).rejects.toThrow('is a FIFO (named pipe), not a regular file');
    await expect(readSmallFile(join(dir, 'zero'), 1024)).rejects.toThrow('is a character device, not a regular file');
  });

  it('refuses a file over the bound, saying how big it is', async () => {
    writeFileSync(join(dir, 'big'), Buffer.alloc(3 * 1024 * 1024, 0x61));
    expect(refusal(() => readSmallFileSync(join(dir, 'big'), 1024 * 1024)).what).toBe('is 3 MiB, larger than 1 MiB, the most the guard reads of it');
    await expect(readSmallFile(join(dir, 'big'), 1024 * 1024)).rejects.toThrow('is 3 MiB, larger than 1 MiB');
    expect(readSmallFileSync(join(dir, 'big'), 3 * 1024 * 1024)).toHaveLength(3 * 1024 * 1024);
  });

  it('reads /proc and /sys files whole though they say they are empty, and bounds them too', async () => {
    const stat = readSmallFileSync('/proc/self/stat', 1024 * 1024);
    expect(stat).toMatch(/^\d+ \(/);
    expect((await readSmallFile('/proc/meminfo', 1024 * 1024)).startsWith('MemTotal:')).toBe(true);
    expect(refusal(() => readSmallFileSync('/proc/self/maps', 10)).what).toBe('is larger than 10 B, the most the guard reads of it');
  });

  it('a missing file is ENOENT', () => {
    expect(() => readSmallFileSync(join(dir, 'none'), 10)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});

describe('formatBytes', () => {
  it.each([[0, '0 B'], [1023, '1023 B'], [1024, '1 KiB'], [1536, '1.5 KiB'], [4 * 1024 * 1024, '4 MiB'], [4_080_218_931, '3.8 GiB']] as const)('%d → %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
