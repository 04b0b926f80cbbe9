// Built-ins loaded on first use: a check of an http:// URL should not pay ~5 ms for node:https and node:tls,
// nor a check that heals nothing ~5 ms for node:child_process, nor one with no gzipped rotated log ~3 ms for
// node:zlib (nor for the require function that loads them, made on first use too).
import { createRequire } from 'node:module';

let requireBuiltin: NodeJS.Require | null = null;
const load = (id: string): unknown => (requireBuiltin ??= createRequire(import.meta.url))(id);

/** node:https, loaded on first call. */
export function loadHttps(): typeof import('node:https') {
  return load('node:https') as typeof import('node:https');
}

/** node:tls, loaded on first call. */
export function loadTls(): typeof import('node:tls') {
  return load('node:tls') as typeof import('node:tls');
}

/** node:child_process, loaded on first call (a heal, a command alert). */
export function loadChildProcess(): typeof import('node:child_process') {
  return load('node:child_process') as typeof import('node:child_process');
}

/** node:zlib, loaded on first call (a gzipped rotated log). */
export function loadZlib(): typeof import('node:zlib') {
  return load('node:zlib') as typeof import('node:zlib');
}
