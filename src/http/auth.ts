// The bearer token of `http.token`: the API and /metrics need `Authorization: Bearer <token>`, or HTTP
// Basic with the token as the password (any user name: `curl -u x:TOKEN`, Prometheus' basic_auth).
// Compared in constant time; the token is never logged or echoed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';

/** The challenge of a 401. Not Basic: a browser would then show its own login box over the page's token form. */
export const CHALLENGE = 'Bearer realm="anomaly-guard"';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** True when the token equals `expected`, in time that does not depend on where they differ. */
export function sameToken(given: string, expected: string): boolean {
  // Digests have one length, so timingSafeEqual never throws and the length of the token does not leak.
  return timingSafeEqual(digest(given), digest(expected));
}

/** The token an Authorization header carries (Bearer, or Basic's password), or null. */
export function tokenOf(header: string | undefined): string | null {
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header ?? '');
  if (!m) return null;
  const [scheme, value] = [(m[1] ?? '').toLowerCase(), m[2] ?? ''];
  if (scheme === 'bearer') return value;
  if (scheme !== 'basic') return null;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : decoded.slice(colon + 1);
}

/** A middleware that answers 401 unless the request carries the token `current()` returns (null = open). */
export function requireToken(current: () => string | null): MiddlewareHandler {
  return async (c, next) => {
    const token = current();
    if (token === null) return next();
    const given = tokenOf(c.req.header('authorization'));
    if (given !== null && sameToken(given, token)) return next();
    return c.json({ error: 'unauthorized: send the http.token as "Authorization: Bearer <token>"' }, 401, { 'www-authenticate': CHALLENGE });
  };
}
