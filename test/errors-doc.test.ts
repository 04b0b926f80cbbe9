// docs/errors.md documents every error code, and only those; every code thrown in src/ is a known one.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/errors.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DOC = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');

/** The `## CODE` headings of the doc (all-caps headings only; prose headings are not codes). */
function documentedCodes(): string[] {
  return [...DOC.matchAll(/^## ([A-Z][A-Z0-9_]*)\s*$/gm)].map((m) => m[1] as string);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every `new GuardError('X'` in src/, as [file, code]. */
function thrownCodes(): [string, string][] {
  return sourceFiles(join(ROOT, 'src')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/new GuardError\(\s*['"`]([^'"`]+)['"`]/g)].map((m): [string, string] => [file.slice(ROOT.length), m[1] as string]),
  );
}

describe('docs/errors.md', () => {
  it('has a `## CODE` section for every code in ERROR_CODES', () => {
    const documented = new Set(documentedCodes());
    expect(ERROR_CODES.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('lists no code that does not exist, and none twice', () => {
    const known = new Set<string>(ERROR_CODES);
    const codes = documentedCodes();
    expect(codes.filter((code) => !known.has(code))).toEqual([]);
    expect(codes.length).toBe(new Set(codes).size);
  });

  it('gives each code its cause, exit status, an example and the fix', () => {
    const sections = DOC.split(/^## /m).slice(1);
    const incomplete = sections
      .filter((s) => /^[A-Z][A-Z0-9_]*\s*$/m.test(s.split('\n')[0] ?? ''))
      .filter((s) => !['**Cause:**', '**Exit status:**', '**Example:**', '**Fix:**'].every((part) => s.includes(part)) || !s.includes('```'))
      .map((s) => s.split('\n')[0]);
    expect(incomplete).toEqual([]);
  });
});

describe('GuardError codes thrown in src/', () => {
  it('finds the throws (the scan works)', () => {
    expect(thrownCodes().length).toBeGreaterThan(5);
  });

  it('uses only codes listed in ERROR_CODES', () => {
    const known = new Set<string>(ERROR_CODES);
    expect(thrownCodes().filter(([, code]) => !known.has(code))).toEqual([]);
  });
});
