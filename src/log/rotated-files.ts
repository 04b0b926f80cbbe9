// Finds a log and its rotated siblings, oldest first, as logrotate names them: `<log>.N[.gz]` (the
// higher N the older) and dateext `<log>-YYYYMMDD[.gz]` (also `-YYYY-MM-DD`, `.YYYY-MM-DD`, and a
// time after the date), then the live `<log>`. The one home of these names: `report` reads every file,
// a cycle's history goes on into the newest rotated one.
import fs from 'node:fs';
import path from 'node:path';

/** One file of the log, as `report` reads it. */
export interface LogFile {
  path: string;
  gzip: boolean;
  /** Size on disk (compressed for gzip). */
  bytes: number;
}

interface Candidate {
  name: string;
  gzip: boolean;
  /** Sort key: dateext files by date, then numbered files by N descending. */
  group: 0 | 1;
  order: string | number;
}

// What follows the log's own name in a rotated file's name; the log's name is anything before it.
const NUMBERED = /^\.(\d+)(\.gz)?$/;
const DATED = /^(?:-(\d{8}[\d-]*)|[-.](\d{4}-\d{2}-\d{2}[\d-]*))(\.gz)?$/;

// `name` as a rotated file of the log named `name.slice(0, at)`, or null.
function classifyAt(name: string, at: number): Candidate | null {
  const rest = name.slice(at);
  const numbered = NUMBERED.exec(rest);
  if (numbered) return { name, gzip: numbered[2] !== undefined, group: 1, order: -Number(numbered[1]) };
  const dated = DATED.exec(rest);
  // Ordered by the digits alone, so -20251021 and -2025-10-21 sort alike.
  if (dated) return { name, gzip: dated[3] !== undefined, group: 0, order: (dated[1] ?? dated[2] ?? '').replace(/-/g, '') };
  return null;
}

function compare(a: Candidate, b: Candidate): number {
  if (a.group !== b.group) return a.group - b.group;
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.gzip === b.gzip ? 0 : a.gzip ? -1 : 1; // `.1.gz` and `.1` both there: the compressed one is older
}

/** The rotated files of one folder listing, by the name of the log they belong to (a name can belong to more than
 * one: `a-20251021-1` is a rotated `a` and a rotated `a-20251021`), each list oldest first. */
export type RotatedIndex = Map<string, Candidate[]>;

/** Indexes a folder's names once, so that many logs in one folder cost one listing, not one each. */
export function indexRotated(names: readonly string[]): RotatedIndex {
  const index: RotatedIndex = new Map();
  for (const name of names) {
    for (let at = 1; at < name.length; at++) {
      const ch = name.charCodeAt(at);
      if (ch !== 0x2e && ch !== 0x2d) continue; // a rotated suffix starts with "." or "-"
      const c = classifyAt(name, at);
      if (c === null) continue;
      const base = name.slice(0, at);
      const list = index.get(base);
      if (list === undefined) index.set(base, [c]);
      else list.push(c);
    }
  }
  for (const list of index.values()) list.sort(compare);
  return index;
}

function fileSize(file: string): number | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

// The folder's listing, indexed, kept while the folder is unchanged (a name added, removed or renamed changes its
// mtime): 10,000 targets' logs in one folder rebuilt at start cost one listing, not 10,000. A memo of the file
// system checked on every use, not state: a listing taken within a timestamp tick of a change is not kept.
const listings = new Map<string, { stamp: string; index: RotatedIndex }>();
const MAX_FOLDERS = 256;
const TICK_MS = 100;

function rotatedIn(dir: string): RotatedIndex {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    listings.delete(dir);
    return new Map();
  }
  const stamp = `${st.ino}:${st.mtimeMs}:${st.ctimeMs}`;
  const kept = listings.get(dir);
  if (kept !== undefined && kept.stamp === stamp) return kept.index;
  const index = indexRotated(listDir(dir));
  listings.delete(dir);
  if (Date.now() - Math.max(st.mtimeMs, st.ctimeMs) > TICK_MS) {
    if (listings.size >= MAX_FOLDERS) listings.delete(listings.keys().next().value as string);
    listings.set(dir, { stamp, index });
  }
  return index;
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** The log's files that exist, oldest first, the live log last; empty when there is none. */
export function listLogFiles(logFile: string): LogFile[] {
  const dir = path.dirname(logFile);
  const base = path.basename(logFile);
  const rotated = rotatedIn(dir).get(base) ?? [];
  const files: LogFile[] = [];
  for (const c of [...rotated, { name: base, gzip: false }]) {
    const full = path.join(dir, c.name);
    const bytes = fileSize(full);
    if (bytes !== null) files.push({ path: full, gzip: c.gzip, bytes });
  }
  return files;
}

/** The newest rotated file of the log (the one logrotate made last, whatever its naming), or null. */
export function newestRotated(logFile: string): LogFile | null {
  const dir = path.dirname(logFile);
  const rotated = rotatedIn(dir).get(path.basename(logFile)) ?? [];
  // Newest first; a name listed that is gone since (a folder changed within a tick) is passed over.
  for (let i = rotated.length - 1; i >= 0; i--) {
    const full = path.join(dir, rotated[i]!.name);
    const bytes = fileSize(full);
    if (bytes !== null) return { path: full, gzip: rotated[i]!.gzip, bytes };
  }
  return null;
}
