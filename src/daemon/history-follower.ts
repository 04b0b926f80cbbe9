// The daemon's history kept in memory and synced with the log file before each use: what was appended since
// the last sync (by this daemon, or by a one-shot check on the same log) is read forward and applied. The tail
// is read backwards only at the start and when what the history must hold changed (a reload); a rotated,
// truncated or deleted log does not make the daemon forget its baseline or its heal budget. Per cycle it costs
// one stat of the path and one read on a descriptor held open (the last line read, to see copytruncate, and
// what came after it), not an open and a 4 KiB read per look.
import fs from 'node:fs';
import { advance, forget, type LiveHistory } from '../core/history-forward.js';
import { checkStub, historyCollector, windowCheckStub, type History, type HistoryNeeds } from '../core/history.js';
import { skimCheckTs, skimmedWindowFields } from '../log/check-record-skim.js';
import { logReadError, readTailThroughRotation } from '../log/file-log.js';
import { parseLogLine, type TailReadStats } from '../log/tail-reader.js';

/** A history that follows a log file. */
export interface HistoryFollower {
  /** The history as of the file now, with `extra` records (held back, not yet written) applied on top. */
  read(needs: HistoryNeeds, extra?: readonly unknown[]): { history: History; skipped: number };
  /** Releases the descriptor held on the file. */
  close(): void;
}

/** The state of a followed file: the history, where reading goes on, and the last line before that point (a file
 * truncated and written again to the same size or more, copytruncate's way, no longer has it there). */
type Followed = { live: LiveHistory; key: string; ino: number; offset: number; mark: Mark; skipped: number };

/** The last line before the offset, as its length and a hash of its bytes (not a copy: a buffer kept per target and
 * made anew each cycle was an ArrayBuffer a cycle for the GC, and ~0.5 KB a target kept). */
type Mark = { length: number; hash: number };

const MARK_BYTES = 4096;

const CHUNK_BYTES = 64 * 1024;

const NO_MARK: Mark = Object.freeze({ length: 0, hash: 0 });

/** Follows `path`; a file that does not exist yet is an empty log. */
export function historyFollower(path: string): HistoryFollower {
  let state: Followed | null = null;
  const file = heldFile(path);
  return {
    read(needs, extra = []) {
      state = sync(file, state, needs);
      let live = state.live;
      if (extra.length > 0) {
        live = cloneLive(live);
        for (const record of extra) advance(live, record, needs);
      }
      return { history: live.history, skipped: state.skipped };
    },
    close: () => file.close(),
  };
}

// What the history holds depends on these; a change (a reload) means reading the tail again.
function needsKey(n: HistoryNeeds): string {
  return JSON.stringify([n.window, n.recent, n.lookbackMs, n.maxLatencyMs ?? null, n.learn ?? 'all']);
}

function statOf(path: string): { ino: number; size: number } {
  try {
    const st = fs.statSync(path);
    return { ino: st.ino, size: st.size };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ino: -1, size: 0 };
    throw err;
  }
}

/** A read descriptor on the file at `path` while its inode is `ino`; reopened when the inode changes. */
type HeldFile = { path: string; fdFor(ino: number): number | null; close(): void };

function heldFile(path: string): HeldFile {
  let fd: number | null = null;
  let on = -1;
  const close = (): void => {
    if (fd !== null) fs.closeSync(fd);
    fd = null;
    on = -1;
  };
  return {
    path,
    fdFor(ino) {
      if (fd !== null && on === ino) return fd;
      close(); // a rotated or deleted file's space is not kept past this look
      if (ino === -1) return null;
      try {
        fd = fs.openSync(path, 'r');
      } catch {
        return null; // gone again since the stat: the next cycle looks again
      }
      on = fs.fstatSync(fd).ino;
      return on === ino ? fd : null;
    },
    close,
  };
}

function sync(file: HeldFile, state: Followed | null, needs: HistoryNeeds): Followed {
  const st = statOf(file.path);
  const key = needsKey(needs);
  if (state === null || state.key !== key) return rebuild(file, needs, key);
  const fd = file.fdFor(st.ino);
  // A new file (logrotate's create, a log deleted and started again) or a truncated one (copytruncate) holds only
  // what came after what the history already has: go on from its start. A missing file keeps the history as it is.
  if (st.ino !== state.ino || st.size < state.offset || fd === null) {
    state.ino = st.ino;
    state.offset = 0;
    state.mark = NO_MARK;
  }
  if (fd !== null && !readForward(fd, state, st.size, needs)) {
    state.offset = 0; // the mark is not where it was: copytruncate wrote the file again to this size or more
    state.mark = NO_MARK;
    readForward(fd, state, st.size, needs);
  }
  forget(state.live, needs); // what fell out of the lookback since the last record
  return state;
}

// Reads the tail backwards as a one-shot check would; appends during the read make it read again. A check line older
// than the recent reasons is skimmed, not parsed, for its time and what the window still reads: the same history.
function rebuild(file: HeldFile, needs: HistoryNeeds, key: string): Followed {
  for (let attempt = 0; ; attempt++) {
    const before = statOf(file.path);
    const collector = historyCollector(needs);
    const skim = (buf: Buffer, start: number, end: number): object | null => {
      const detail = collector.detail();
      if (detail === 'full') return null;
      const ts = skimCheckTs(buf, start, end);
      if (ts === null) return null;
      return detail === 'time' ? checkStub(ts) : windowCheckStub(ts, skimmedWindowFields());
    };
    let stats: TailReadStats;
    try {
      stats = readTailThroughRotation(file.path, collector.visit, { skim });
    } catch (err) {
      throw logReadError(file.path, err);
    }
    const after = statOf(file.path);
    if ((after.ino === before.ino && after.size === before.size) || attempt >= 2) {
      const fd = file.fdFor(after.ino);
      const mark = fd === null ? NO_MARK : markAt(fd, after.size);
      return { live: collector.live(), key, ino: after.ino, offset: after.size, mark, skipped: stats.skipped };
    }
  }
}

// Checks that the mark still ends at the offset and applies the complete lines after it, in the same reads; a line
// still being written waits for the next sync. False when the mark is not there (nothing applied then).
function readForward(fd: number, state: Followed, size: number, needs: HistoryNeeds): boolean {
  let position = state.offset - state.mark.length;
  let pending = Buffer.alloc(0);
  let marked = state.mark.length === 0;
  while (position < size || !marked) {
    const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK_BYTES, size - position)));
    const n = fs.readSync(fd, chunk, 0, chunk.length, position);
    if (n <= 0 && marked) break;
    position += Math.max(n, 0);
    pending = pending.length === 0 ? chunk.subarray(0, n) : Buffer.concat([pending, chunk.subarray(0, n)]);
    if (!marked) {
      if (pending.length < state.mark.length) return false;
      if (hashOf(pending, 0, state.mark.length) !== state.mark.hash) return false;
      pending = pending.subarray(state.mark.length);
      marked = true;
    }
    let start = 0;
    let last = -1;
    for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10, start)) {
      const parsed = parseLogLine(pending.toString('utf8', start, nl));
      if (parsed === 'invalid') state.skipped += 1;
      else if (parsed !== 'empty') advance(state.live, parsed, needs);
      state.offset += nl + 1 - start;
      last = start;
      start = nl + 1;
    }
    if (last >= 0) state.mark = markOf(pending, Math.max(last, start - MARK_BYTES), start);
    pending = pending.subarray(start);
  }
  return true;
}

// The last line before `offset` (its records carry a time to the microsecond), or none at the start or unreadable.
function markAt(fd: number, offset: number): Mark {
  if (offset <= 0) return NO_MARK;
  const len = Math.min(MARK_BYTES, offset);
  const buf = Buffer.alloc(len);
  const n = fs.readSync(fd, buf, 0, len, offset - len);
  const start = buf.lastIndexOf(10, n - 2) + 1;
  return markOf(buf, start, n);
}

function markOf(bytes: Buffer, start: number, end: number): Mark {
  return { length: end - start, hash: hashOf(bytes, start, end) };
}

// Two 32-bit FNV-1a hashes of the bytes (different offset bases) in one 53-bit number: a line rewritten in place by
// copytruncate that hashes the same as the one it replaced is out of reach in practice.
function hashOf(bytes: Buffer, start: number, end: number): number {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000193) >>> 0;
  }
  return (b & 0x1fffff) * 0x100000000 + a;
}

function cloneLive(live: LiveHistory): LiveHistory {
  return structuredClone(live);
}
