// dist/ is self-contained: the built CLI imports only its own files and node's built-ins, so the package
// has no runtime dependencies and a packed tarball installs without fetching anything.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIST = resolve('dist');

describe('dist/ needs no package at run time', () => {
  it('imports only its own files and node built-ins, so package.json lists no dependencies', () => {
    const files = (readdirSync(DIST, { recursive: true }) as string[]).filter((f) => f.endsWith('.js') && !f.startsWith('dashboard'));
    // esbuild's output: import/export ... from "x", import "x" and import("x"), minified or not.
    const imports = /\bimport\s*\(\s*"([^"]+)"\s*\)|\b(?:import|export)\s*(?:[\w*${}\s,]*?\bfrom\s*)?"([^"]+)"/g;
    const specifiers = files.flatMap((f) => [...readFileSync(join(DIST, f), 'utf8').matchAll(imports)].map((m) => (m[1] ?? m[2])!));
    const packages = specifiers.filter((s) => !s.startsWith('./') && !s.startsWith('../') && !builtinModules.includes(s.replace(/^node:/, '')));
    expect(specifiers.length).toBeGreaterThan(50);
    expect(packages).toEqual([]);
    expect((JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies?: object }).dependencies).toBeUndefined();
  });
});
