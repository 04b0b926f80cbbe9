// Reads the records of one log file, or of a byte range of it, in constant memory: plain files are read
// into one reused buffer, gzip files inflated into it; whole lines are handed to the line handler in place
// (no string per line on the fast path) and the unfinished last line is moved to the front.
import fs from 'node:fs';
import { lineHandler, type LineCounts, type LineOptions, type RecordSink } from './line-handler.js';
import { MAX_LINE_BYTES } from './line-source.js';
import type { LogFile } from './rotated-files.js';

const CHUNK_BYTES = 1 << 20;
const GZIP_CHUNK_BYTES = 1 << 18;
const OVERSIZED = '<line longer than 16 MiB>';

/** One piece of work: a file, or the lines of a plain file that start in [start, end). */
export interface ReadTask {
  file: LogFile;
  /** Where the first line starts (0, or just after a '\n'). */
  start: number;
  /** Where the next task's first line starts; null: to the end of the file, as it is when read. */
  end: number | null;
  /** Added to byte offsets to place a line in the whole scan (CheckView.pos). */
  pos: number;
}

/** Options of a read: the line options, what to do with a last line without '\n', progress. */
export interface ReadOptions extends LineOptions {
  /** Read a last line that has no '\n' (default true); false leaves it, as a writer may be mid-append. */
  partialLast?: boolean;
  /** Bytes read from disk since the last call (compressed bytes for gzip). */
  onBytes?: (bytes: number) => void;
  /** Read a plain file with blocking reads (default false): less CPU, but no other work runs on this thread meanwhile. */
  blocking?: boolean;
}

/** What one read counted, and why it stopped early (null when it read to its end). */
export interface ReadCounts extends LineCounts {
  error: string | null;
}

type Handler = ReturnType<typeof lineHandler>;

// The buffer the lines are read into; `lim` bytes of data start at file offset `base`.
function lineBuffer(handler: Handler, pos: number) {
  const st = { buf: Buffer.allocUnsafe(CHUNK_BYTES + 1), lim: 0, base: 0, discarding: false };
  const room = (): number => st.buf.length - 1 - st.lim;
  const drop = (n: number): void => {
    st.buf.copyWithin(0, n, st.lim);
    st.base += n;
    st.lim -= n;
  };
  return {
    st,
    /** Free bytes; makes some when the buffer holds one unfinished line (grows it, or gives the line up as too long). */
    room(): number {
      if (room() > 0) return room();
      if (st.buf.length - 1 <= MAX_LINE_BYTES) {
        const bigger = Buffer.allocUnsafe(Math.min(2 * (st.buf.length - 1), MAX_LINE_BYTES + 1) + 1);
        st.buf.copy(bigger, 0, 0, st.lim);
        st.buf = bigger;
      } else {
        handler.text(OVERSIZED, pos + st.base);
        st.discarding = true;
        drop(st.lim);
      }
      return room();
    },
    /** Hands over the whole lines after `added` new bytes. */
    added(added: number): void {
      st.lim += added;
      if (st.discarding) {
        const nl = st.buf.indexOf(0x0a);
        if (nl < 0 || nl >= st.lim) return drop(st.lim);
        st.discarding = false;
        drop(nl + 1);
      }
      drop(handler.lines(st.buf, 0, st.lim, pos + st.base));
    },
    /** The last line, when it has no '\n'. */
    end(): void {
      if (st.lim > 0 && !st.discarding) handler.text(st.buf.toString('utf8', 0, st.lim), pos + st.base);
    },
  };
}

// Reads into the buffer from the file offset; returns the bytes read (0 at the end).
type ReadAt = (buf: Buffer, offset: number, length: number, position: number) => Promise<number> | number;

async function readPlain(task: ReadTask, lb: ReturnType<typeof lineBuffer>, onBytes?: (n: number) => void, blocking = false): Promise<void> {
  const handle = blocking ? null : await fs.promises.open(task.file.path, 'r');
  const fd = handle === null ? fs.openSync(task.file.path, 'r') : -1;
  // A blocking read skips the thread pool's round trip per MiB (its futex waits and wake-ups).
  const readAt: ReadAt = handle === null ? (b, o, l, p) => fs.readSync(fd, b, o, l, p) : async (b, o, l, p) => (await handle.read(b, o, l, p)).bytesRead;
  try {
    let at = task.start;
    lb.st.base = at;
    for (;;) {
      const want = task.end === null ? lb.room() : Math.min(lb.room(), task.end - at);
      if (want <= 0) return;
      const bytesRead = await readAt(lb.st.buf, lb.st.lim, want, at);
      if (bytesRead === 0) return;
      at += bytesRead;
      onBytes?.(bytesRead);
      lb.added(bytesRead);
    }
  } finally {
    if (handle === null) fs.closeSync(fd);
    else await handle.close();
  }
}

async function readGzip(task: ReadTask, lb: ReturnType<typeof lineBuffer>, onBytes?: (n: number) => void): Promise<void> {
  // zlib and the streams are loaded for a gzip file only: a plain log's report does not pay for them.
  const [{ default: zlib }, { pipeline }] = await Promise.all([import('node:zlib'), import('node:stream')]);
  const raw = fs.createReadStream(task.file.path, { highWaterMark: GZIP_CHUNK_BYTES });
  const gunzip = zlib.createGunzip({ chunkSize: GZIP_CHUNK_BYTES });
  pipeline(raw, gunzip, () => undefined); // errors surface on the gunzip side, where they are read
  let reported = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      for (let off = 0; off < chunk.length; ) {
        const n = Math.min(lb.room(), chunk.length - off);
        chunk.copy(lb.st.buf, lb.st.lim, off, off + n);
        off += n;
        lb.added(n);
      }
      onBytes?.(gunzip.bytesWritten - reported);
      reported = gunzip.bytesWritten;
    }
  } finally {
    gunzip.destroy();
  }
}

/** Reads the task's records into the sink, oldest first. */
export async function readRecords(task: ReadTask, opts: ReadOptions, sink: RecordSink): Promise<ReadCounts> {
  const handler = lineHandler(opts, sink);
  const lb = lineBuffer(handler, task.pos);
  let error: string | null = null;
  try {
    if (task.file.gzip) await readGzip(task, lb, opts.onBytes);
    else await readPlain(task, lb, opts.onBytes, opts.blocking === true);
  } catch (err) {
    error = (err as Error).message;
  }
  if (opts.partialLast !== false) lb.end();
  return { ...handler.counts, error };
}
