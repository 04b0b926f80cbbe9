// `include:` target files for config-management tools: a folder (every .yaml, .yml and .json file in it),
// a file, or a folder and a `*` pattern (`targets.d/*.yaml`), or a list of these, relative to the config's
// folder. Each file holds one target (a mapping with a name) or a list of targets; files are read in name
// order, after the config's own `targets:`. A missing folder or file is a problem, an empty folder is not.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { GuardError } from '../errors.js';
import type { WrittenTarget } from './targets.js';

const TARGET_FILE = /\.(ya?ml|json)$/i;
/** Included files beyond this many are refused (a guard of 20,000 targets is one file of them, not 20,000 files). */
export const MAX_INCLUDED_FILES = 10_000;

/** The targets of every included file, and the problems of the `include` key itself. */
export async function readIncludes(raw: unknown, baseDir: string, parse: (file: string) => Promise<unknown>): Promise<{ targets: WrittenTarget[]; problems: string[] }> {
  const written = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>).include : undefined;
  if (written === undefined || written === null || written === '') return { targets: [], problems: [] };
  const patterns = Array.isArray(written) ? written : [written];
  const problems: string[] = [];
  const files: string[] = [];
  patterns.forEach((p, i) => {
    const key = Array.isArray(written) ? `include[${i}]` : 'include';
    if (typeof p !== 'string' || p === '') problems.push(`${key}: ${JSON.stringify(p)} is not a path; give a folder of target files, e.g. targets.d, or a pattern, e.g. targets.d/*.yaml`);
    else files.push(...matchInclude(key, p, baseDir, problems));
  });
  if (files.length > MAX_INCLUDED_FILES) return { targets: [], problems: [...problems, `include: matches ${files.length} files, more than ${MAX_INCLUDED_FILES}; put many targets in one file (a list)`] };
  const targets: WrittenTarget[] = [];
  for (const file of files) {
    const from = relative(baseDir, file) || file;
    try {
      const content = await parse(file);
      for (const item of Array.isArray(content) ? content : [content]) targets.push({ item, from });
    } catch (err) {
      if (!(err instanceof GuardError)) throw err;
      problems.push(`include: ${err.message}`);
    }
  }
  return { targets, problems };
}

// The files one include entry names, in name order.
function matchInclude(key: string, written: string, baseDir: string, problems: string[]): string[] {
  const path = resolve(baseDir, written);
  const star = basename(path).includes('*');
  const folder = star ? dirname(path) : path;
  let entries: string[];
  try {
    if (!star && statSync(path).isFile()) return [path];
    entries = readdirSync(folder).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push(`${key}: ${JSON.stringify(written)} (${star ? folder : path}) ${code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be read (${code})`}; give a folder of target files or a pattern such as targets.d/*.yaml (relative to the config file's folder)`);
    return [];
  }
  const match = star ? patternOf(basename(path)) : TARGET_FILE;
  return entries.filter((name) => match.test(name) && !name.startsWith('.')).map((name) => resolve(folder, name)).filter((f) => isFile(f));
}

// `*.yaml` → /^.*\.yaml$/: only `*` is special.
function patternOf(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
