// The daemon's history kept in memory and synced with the log file before each use: what was appended since
// the last sync (by this daemon, or by a one-shot check on the same log) is read forward and applied. The tail
// is read backwards only at the start and when what the history must hold changed (a reload); a rotated,
// truncated or deleted log does not make the daemon forget its baseline or its heal budget.
import fs from 'node:fs';
import { advance, forget, type LiveHistory } from '../core/history-forward.js';
import { historyCollector, type History, type HistoryNeeds } from '../core/history.js';
import { fileGuardLog } from '../log/file-log.js';
import { parseLogLine } from '../log/tail-reader.js';

/** A history that follows a log file. */
export interface HistoryFollower {
  /** The history as of the file now, with `extra` records (held back, not yet written) applied on top. */
  read(needs: HistoryNeeds, extra?: readonly unknown[]): { history: History; skipped: number };
}

/** The state of a followed file: the history, where reading goes on, and the last line before that point (a file
 * truncated and written again to the same size or more, copytruncate's way, no longer has it there). */
type Followed = { live: LiveHistory; key: string; ino: number; offset: number; mark: string; skipped: number };

const MARK_BYTES = 4096;

const CHUNK_BYTES = 64 * 1024;

/** Follows `path`; a file that does not exist yet is an empty log. */
export function historyFollower(path: string): HistoryFollower {
  let state: Followed | null = null;
  return {
    read(needs, extra = []) {
      state = sync(path, state, needs);
      let live = state.live;
      if (extra.length > 0) {
        live = cloneLive(live);
        for (const record of extra) advance(live, record, needs);
      }
      return { history: live.history, skipped: state.skipped };
    },
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

function sync(path: string, state: Followed | null, needs: HistoryNeeds): Followed {
  const st = statOf(path);
  const key = needsKey(needs);
  if (state === null || state.key !== key) return rebuild(path, needs, key);
  // A new file (logrotate's create, a log deleted and started again) or a truncated one (copytruncate) holds only
  // what came after what the history already has: go on from its start. A missing file keeps the history as it is.
  if (st.ino !== state.ino || st.size < state.offset || (st.ino !== -1 && markAt(path, state.offset) !== state.mark)) {
    state.ino = st.ino;
    state.offset = 0;
    state.mark = '';
  }
  if (st.size > state.offset) {
    readForward(path, state, st.size, needs);
    state.mark = markAt(path, state.offset);
  }
  forget(state.live, needs); // what fell out of the lookback since the last record
  return state;
}

// Reads the tail backwards as a one-shot check would; appends during the read make it read again.
function rebuild(path: string, needs: HistoryNeeds, key: string): Followed {
  for (let attempt = 0; ; attempt++) {
    const before = statOf(path);
    const collector = historyCollector(needs);
    const log = fileGuardLog(path);
    const stats = log.readBackward(collector.visit);
    log.close();
    const after = statOf(path);
    if ((after.ino === before.ino && after.size === before.size) || attempt >= 2) {
      return { live: collector.live(), key, ino: after.ino, offset: after.size, mark: markAt(path, after.size), skipped: stats.skipped };
    }
  }
}

// Applies the complete lines appended since the last sync; a line still being written waits for the next one.
function readForward(path: string, state: Followed, size: number, needs: HistoryNeeds): void {
  const fd = fs.openSync(path, 'r');
  try {
    let pending = Buffer.alloc(0);
    let position = state.offset;
    while (position < size) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, size - position));
      const n = fs.readSync(fd, chunk, 0, chunk.length, position);
      if (n <= 0) break;
      position += n;
      pending = pending.length === 0 ? chunk.subarray(0, n) : Buffer.concat([pending, chunk.subarray(0, n)]);
      let start = 0;
      for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10, start)) {
        const parsed = parseLogLine(pending.toString('utf8', start, nl));
        if (parsed === 'invalid') state.skipped += 1;
        else if (parsed !== 'empty') advance(state.live, parsed, needs);
        state.offset += nl + 1 - start;
        start = nl + 1;
      }
      pending = pending.subarray(start);
    }
  } finally {
    fs.closeSync(fd);
  }
}

// The last line before `offset` (its records carry a time to the microsecond), or '' at the start or unreadable.
function markAt(path: string, offset: number): string {
  if (offset <= 0) return '';
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const len = Math.min(MARK_BYTES, offset);
    const buf = Buffer.alloc(len);
    const n = fs.readSync(fd, buf, 0, len, offset - len);
    const start = buf.lastIndexOf(10, n - 2) + 1;
    return buf.toString('utf8', start, n);
  } finally {
    fs.closeSync(fd);
  }
}

function cloneLive(live: LiveHistory): LiveHistory {
  return structuredClone(live);
}
