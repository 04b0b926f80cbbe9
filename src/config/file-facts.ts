// What the file rules ask the file system, asked once per path in one config load: 10,000 targets share one
// scheduler_log, one config file and one log folder, so their checks cost one lstat each, not six syscalls.
import fs from 'node:fs';

/** The file system as the file rules see it, memoised for one load. */
export interface FileFacts {
  lstat(p: string): fs.Stats | null;
  stat(p: string): fs.Stats | null;
  /** The statfs(2) type of the file system holding `p` (or the nearest folder above it that exists). */
  fsType(p: string): number | null;
}

/** Fresh facts (a config load makes one and shares it between its targets). */
export function fileFacts(): FileFacts {
  const lstats = new Map<string, fs.Stats | null>();
  const stats = new Map<string, fs.Stats | null>();
  const types = new Map<string, number | null>();
  const memo = <T>(m: Map<string, T>, p: string, get: () => T): T => {
    if (!m.has(p)) m.set(p, get());
    return m.get(p) as T;
  };
  const facts: FileFacts = {
    lstat: (p) => memo(lstats, p, () => orNull(() => fs.lstatSync(p))),
    // A path that is no link stats as it lstats.
    stat: (p) => memo(stats, p, () => (lstats.has(p) && lstats.get(p)?.isSymbolicLink() === false ? lstats.get(p)! : orNull(() => fs.statSync(p)))),
    fsType: (p) => memo(types, p, () => typeOf(p)),
  };
  // A file on its folder's device is on its folder's file system: one statfs per folder.
  function typeOf(p: string): number | null {
    const parent = p.slice(0, Math.max(1, p.lastIndexOf('/')));
    const own = facts.stat(p);
    if (p !== parent && (own === null || own.dev === facts.stat(parent)?.dev)) return facts.fsType(parent);
    return orNull(() => fs.statfsSync(p).type);
  }
  return facts;
}

function orNull<T>(get: () => T): T | null {
  try {
    return get();
  } catch {
    return null;
  }
}
