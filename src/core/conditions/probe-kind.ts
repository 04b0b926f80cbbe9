// Which kind of probe a health URL asks for, and which placeholders a condition reads (to refuse, at load,
// a condition the probe could never give a value: [STATUS] over tcp, [CERTIFICATE_EXPIRATION] over http).
import type { Condition, PlaceholderName, ProbeKind } from './types.js';

/** The probe kind of a URL by its scheme: tcp://, tls://, else http (http:// and https://). */
export function probeKindOf(url: string): ProbeKind {
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  return scheme === 'tcp' ? 'tcp' : scheme === 'tls' ? 'tls' : 'http';
}

/** The placeholders a condition reads, each with the 0-based character where it is written. */
export function placeholdersOf(c: Condition): { name: PlaceholderName; index: number }[] {
  const upper = c.text.toUpperCase();
  return [c.left, c.right].flatMap((o) => (o.kind === 'placeholder' ? [{ name: o.name, index: Math.max(0, upper.indexOf(`[${o.name}`)) }] : []));
}

/** Why a probe of this kind (and URL scheme) gives a placeholder no value; null when it does. */
export function placeholderUnavailable(name: PlaceholderName, kind: ProbeKind, secure: boolean): string | null {
  if (name === 'STATUS' && kind !== 'http') return `[STATUS] has no value for a ${kind}:// probe (it speaks no HTTP); use [CONNECTED] or [BODY]`;
  if (name === 'CERTIFICATE_EXPIRATION' && !secure) return `[CERTIFICATE_EXPIRATION] has no value without TLS; use an https:// or tls:// URL`;
  return null;
}
