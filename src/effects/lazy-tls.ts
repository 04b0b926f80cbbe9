// node:https and node:tls loaded on first use: a check of an http:// URL should not pay ~5 ms for them
// (nor for the require function that loads them, made on first use too).
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
