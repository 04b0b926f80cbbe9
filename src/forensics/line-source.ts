// Streams the lines of one log file, plain or gzip, in constant memory: 1 MiB reads, split at '\n' on
// bytes (so a UTF-8 character cut by a read boundary is never mangled), each line handed over as a string.
// `report` reads with record-reader.ts now; this string reader is the reference its tests compare with.
import fs from 'node:fs';
import type { LogFile } from './rotated-files.js';

const CHUNK_BYTES = 1 << 20;
// Smaller for gzip: each inflated chunk is a new buffer.
const GZIP_CHUNK_BYTES = 1 << 16;
/** A line longer than this is not kept in memory; it is handed over as an unreadable stand-in. */
export const MAX_LINE_BYTES = 16 << 20;
const OVERSIZED = '<line longer than 16 MiB>';

/** How reading one file went. */
export interface LineReadResult {
  /** Lines handed over, the last one without '\n' included. */
  lines: number;
  /** Why the read stopped early (e.g. a truncated gzip file), null when it read to the end. */
  error: string | null;
}

/** Splits byte chunks into lines; `end()` hands over a last line that has no '\n'. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: Buffer): void; end(): void } {
  let pending: Buffer | null = null;
  let oversized = false;
  const hold = (bytes: Buffer): void => {
    const size = (pending?.length ?? 0) + bytes.length;
    if (oversized || size > MAX_LINE_BYTES) {
      oversized = true;
      pending = Buffer.alloc(0);
    } else pending = pending === null ? Buffer.from(bytes) : Buffer.concat([pending, bytes]);
  };
  const flushPending = (tail: Buffer): void => {
    onLine(oversized ? OVERSIZED : Buffer.concat([pending as Buffer, tail]).toString('utf8'));
    pending = null;
    oversized = false;
  };
  const emitText = (text: string): void => {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    onLine(text.slice(start));
  };
  return {
    push(chunk) {
      let from = 0;
      if (pending !== null) {
        const nl = chunk.indexOf(0x0a);
        if (nl < 0) return hold(chunk);
        flushPending(chunk.subarray(0, nl));
        from = nl + 1;
      }
      const last = chunk.lastIndexOf(0x0a);
      if (last >= from) {
        emitText(chunk.toString('utf8', from, last));
        from = last + 1;
      }
      if (from < chunk.length) hold(chunk.subarray(from));
    },
    end() {
      if (pending !== null && (pending.length > 0 || oversized)) flushPending(Buffer.alloc(0));
      pending = null;
    },
  };
}

// Plain files are read into one reused buffer, so memory stays flat however large the file is.
async function readPlain(file: LogFile, push: (chunk: Buffer) => void, onBytes?: (bytes: number) => void): Promise<void> {
  const handle = await fs.promises.open(file.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      push(buf.subarray(0, bytesRead));
      onBytes?.(bytesRead);
    }
  } finally {
    await handle.close();
  }
}

async function readGzip(file: LogFile, push: (chunk: Buffer) => void, onBytes?: (bytes: number) => void): Promise<void> {
  // Loaded for a gzip file only (record-reader.ts imports this module for MAX_LINE_BYTES).
  const [{ default: zlib }, { pipeline }] = await Promise.all([import('node:zlib'), import('node:stream')]);
  const raw = fs.createReadStream(file.path, { highWaterMark: GZIP_CHUNK_BYTES });
  const gunzip = zlib.createGunzip({ chunkSize: GZIP_CHUNK_BYTES });
  pipeline(raw, gunzip, () => undefined); // errors surface on the gunzip side, where they are read
  let reported = 0;
  try {
    for await (const chunk of gunzip) {
      push(chunk as Buffer);
      onBytes?.(gunzip.bytesWritten - reported);
      reported = gunzip.bytesWritten;
    }
  } finally {
    gunzip.destroy();
  }
}

/** Calls onLine for every line of the file and onBytes with the bytes read from disk since the last call. */
export async function readLines(file: LogFile, onLine: (line: string) => void, onBytes?: (bytes: number) => void): Promise<LineReadResult> {
  let lines = 0;
  const splitter = lineSplitter((line) => {
    lines++;
    onLine(line);
  });
  let error: string | null = null;
  try {
    await (file.gzip ? readGzip : readPlain)(file, (chunk) => splitter.push(chunk), onBytes);
  } catch (err) {
    error = (err as Error).message;
  }
  splitter.end();
  return { lines, error };
}
