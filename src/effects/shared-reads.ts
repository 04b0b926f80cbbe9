// Host files read once for many targets: a guard of many targets samples /proc and statfs once per moment,
// not once per target. A read of the same path within `freshMs` of an earlier one shares its result (the
// promise, so reads in flight are shared too); a later read goes to the file again.
import type { Clock } from './clock.js';
import type { ProcfsReader } from './procfs.js';
import type { Statfs } from './statfs.js';

/** Readers that share their results across targets for `freshMs`. */
export interface SharedReads {
  procfs(reader: ProcfsReader): ProcfsReader;
  statfs: Statfs;
}

/** Shares the reads of one moment. `freshMs` must stay below the CPU sample's span (its two readings differ). */
export function sharedReads(clock: Pick<Clock, 'monoMs'>, statfs: Statfs, freshMs: number): SharedReads {
  const memo = <T>(read: (key: string) => Promise<T>): ((key: string) => Promise<T>) => {
    const seen = new Map<string, { at: number; value: Promise<T> }>();
    return (key) => {
      const now = clock.monoMs();
      const hit = seen.get(key);
      if (hit !== undefined && now - hit.at < freshMs) return hit.value;
      const value = read(key);
      seen.set(key, { at: now, value });
      return value;
    };
  };
  const roots = new Map<ProcfsReader, ProcfsReader>();
  return {
    procfs(reader) {
      let shared = roots.get(reader);
      if (shared === undefined) {
        const read = memo((rel) => reader.read(rel));
        shared = { read, ...(reader.pathOf ? { pathOf: reader.pathOf.bind(reader) } : {}) };
        roots.set(reader, shared);
      }
      return shared;
    },
    statfs: memo(statfs),
  };
}
