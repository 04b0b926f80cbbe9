// Reads procfs-style text files under a root (/proc, or a captured fixture tree in tests).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Reads files under a procfs root; `pathOf` names the file a relative path stands for (for messages). */
export interface ProcfsReader {
  read(relPath: string): Promise<string>;
  pathOf?(relPath: string): string;
}

/** The real reader: files under `root`, e.g. procfsReader('/proc').read('stat'). */
export function procfsReader(root: string): ProcfsReader {
  return {
    read: (relPath) => readTextFile(join(root, relPath)),
    pathOf: (relPath) => join(root, relPath),
  };
}

/** Reads a whole file as UTF-8 text. */
export function readTextFile(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** The cause of a failed file operation in words, e.g. "no such file or directory" (not the Node code and path). */
export function describeFsError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // Node: "ENOENT: no such file or directory, open '/x/stat'" → "no such file or directory"
  const m = /^[A-Z0-9_]+: (.*?), \w+ '.*'$/s.exec(err.message);
  return m?.[1] ?? err.message;
}
