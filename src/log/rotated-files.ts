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

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function classify(name: string, base: string): Candidate | null {
  const b = escapeRe(base);
  const numbered = new RegExp(`^${b}\\.(\\d+)(\\.gz)?$`).exec(name);
  if (numbered) return { name, gzip: numbered[2] !== undefined, group: 1, order: -Number(numbered[1]) };
  const dated = new RegExp(`^${b}(?:-(\\d{8}[\\d-]*)|[-.](\\d{4}-\\d{2}-\\d{2}[\\d-]*))(\\.gz)?$`).exec(name);
  // Ordered by the digits alone, so -20251021 and -2025-10-21 sort alike.
  if (dated) return { name, gzip: dated[3] !== undefined, group: 0, order: (dated[1] ?? dated[2] ?? '').replace(/-/g, '') };
  return null;
}

function compare(a: Candidate, b: Candidate): number {
  if (a.group !== b.group) return a.group - b.group;
  if (a.order !== b.order) return a.order < b.order ? -1 : 1;
  return a.gzip === b.gzip ? 0 : a.gzip ? -1 : 1; // `.1.gz` and `.1` both there: the compressed one is older
}

function fileSize(file: string): number | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
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
  const rotated = listDir(dir)
    .map((name) => classify(name, base))
    .filter((c): c is Candidate => c !== null)
    .sort(compare);
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
  const rotated = listLogFiles(logFile).filter((f) => f.path !== logFile);
  return rotated.at(-1) ?? null;
}
