// Reads of one moment are shared across targets; a later read (the CPU sample's second) goes to the file.
import { describe, expect, it } from 'vitest';
import { sharedReads } from './shared-reads.js';

describe('sharedReads', () => {
  it('one read per path within freshMs, shared by every target; a read after it reads again', async () => {
    let now = 0;
    const reads: string[] = [];
    const reader = { read: async (rel: string) => (reads.push(rel), `${rel}@${now}`) };
    const statfsCalls: string[] = [];
    const shared = sharedReads({ monoMs: () => now }, async (p) => (statfsCalls.push(p), { bsize: 1, blocks: 10, bfree: 5, bavail: 5 }), 100);
    const procfs = shared.procfs(reader);
    expect(shared.procfs(reader)).toBe(procfs);
    const first = await Promise.all([procfs.read('stat'), procfs.read('stat'), procfs.read('meminfo'), shared.statfs('/'), shared.statfs('/')]);
    expect(first.slice(0, 3)).toEqual(['stat@0', 'stat@0', 'meminfo@0']);
    now = 99;
    expect(await procfs.read('stat')).toBe('stat@0');
    now = 1000;
    expect(await procfs.read('stat')).toBe('stat@1000');
    expect(reads).toEqual(['stat', 'meminfo', 'stat']);
    expect(statfsCalls).toEqual(['/']);
  });
});
