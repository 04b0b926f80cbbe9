// Reads procfs-style text files under a root (/proc, or a captured fixture tree in tests).
import { join } from 'node:path';
import { FileRefused } from './file-refusal.js';
import { readSmallFileSync, SMALL_FILE_MAX_BYTES } from './safe-file.js';

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

/** Reads a whole file as UTF-8 text: a regular file (a kernel file, a fixture) of at most 4 MiB. Read
 * synchronously: a kernel file is generated in memory and a special file is refused before it is opened, so
 * nothing here can wait, and the promise machinery of FileHandle cost more than the read (bench/README.md). */
export function readTextFile(path: string): Promise<string> {
  try {
    return Promise.resolve(readSmallFileSync(path, SMALL_FILE_MAX_BYTES));
  } catch (err) {
    return Promise.reject(err);
  }
}

/** The cause of a failed file operation in words, e.g. "no such file or directory" (not the Node code and path). */
export function describeFsError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err instanceof FileRefused) return err.what.replace(/^is /, 'it is ');
  // Node: "ENOENT: no such file or directory, open '/x/stat'" → "no such file or directory"
  const m = /^[A-Z0-9_]+: (.*?), \w+ '.*'$/s.exec(err.message);
  return m?.[1] ?? err.message;
}
