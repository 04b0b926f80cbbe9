// node:https and node:tls loaded on first use: a check of an http:// URL should not pay ~5 ms for them.
import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

/** node:https, loaded on first call. */
export function loadHttps(): typeof import('node:https') {
  return requireBuiltin('node:https') as typeof import('node:https');
}

/** node:tls, loaded on first call. */
export function loadTls(): typeof import('node:tls') {
  return requireBuiltin('node:tls') as typeof import('node:tls');
}
