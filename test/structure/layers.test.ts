// The layers point down (issue 15): an import in src/ may name a module of its own layer or of a lower
// one, never a higher one, so the pure core stays pure and each behaviour has one home. Read from the
// source's import and export statements (type-only imports count: they couple the layers too).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Low to high. A folder may import its own layer and those below it. */
const LAYERS: string[][] = [
  ['effects'],
  ['log'],
  ['core'],
  ['config'],
  ['probes', 'heal', 'alert', 'forensics'],
  ['cycle'],
  ['daemon', 'demo'],
  ['http'],
  ['cli', 'tools'],
];
const rank = (folder: string): number => LAYERS.findIndex((l) => l.includes(folder));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every import of a module in src/ that points to a higher layer, as `from -> to`. */
function upwardImports(): string[] {
  const out: string[] = [];
  for (const file of sources('src')) {
    const from = relative('src', file).split('/')[0] as string;
    if (rank(from) < 0) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\b[^'"]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm)) {
      const target = normalize(join(dirname(file), (m[1] ?? m[2]) as string));
      const to = relative('src', target).split('/')[0] as string;
      if (to !== from && rank(to) > rank(from)) out.push(`${file} -> ${target} (${from} imports ${to})`);
    }
  }
  return out;
}

describe('the layers of src/', () => {
  it('every folder of src/ has a layer', () => {
    const folders = readdirSync('src', { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => rank(f) < 0)).toEqual([]);
  });

  it('no import points up a layer; config imports only core and below', () => {
    expect(upwardImports()).toEqual([]);
  });
});
