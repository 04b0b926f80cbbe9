// statfs(2) behind a small interface, so the host sampler can be tested with a fake filesystem.
import { statfs } from 'node:fs/promises';

/** Block size and block counts of the filesystem holding a path. */
export interface StatfsResult {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/** Reads the filesystem figures for a path; rejects with the Node error when the path cannot be read. */
export type Statfs = (path: string) => Promise<StatfsResult>;

/** The real statfs, through fs.promises.statfs. */
export const nodeStatfs: Statfs = async (path) => {
  const s = await statfs(path);
  return { bsize: s.bsize, blocks: s.blocks, bfree: s.bfree, bavail: s.bavail };
};
