// The Host check against DNS rebinding: a web page under a name the attacker controls can make that name
// resolve to 127.0.0.1 and then read the loopback API from the victim's browser as "same origin". Such a
// request always carries the attacker's name in Host. An IP address in Host is never that (the browser
// was pointed at the address itself), nor is `localhost`; other names must be listed in
// http.allowed_hosts. Pure: no sockets, no config reading.
import { isIP } from 'node:net';

/** The names a server answers besides IP addresses and localhost; null = every name (no check). */
export type HostPolicy = readonly string[] | null;

/** The policy of a config: listed names; with none listed, the check is on only on a loopback address
 * (off it, http.token is required and guards the data; names there are the norm). "*" turns it off. */
export function hostPolicy(http: { listen: { loopback: boolean } | null; allowedHosts: readonly string[] }): HostPolicy {
  if (http.allowedHosts.includes('*')) return null;
  if (http.allowedHosts.length === 0 && http.listen !== null && !http.listen.loopback) return null;
  return http.allowedHosts.map((h) => h.toLowerCase().replace(/\.$/, ''));
}

/** The host name of a Host header (no port, no brackets, lower case, no trailing dot), or null when it is
 * not a plain host[:port]. */
export function hostName(header: string): string | null {
  if (!/^[A-Za-z0-9.\-:[\]]{1,255}$/.test(header)) return null;
  let url: URL;
  try {
    url = new URL(`http://${header}`);
  } catch {
    return null;
  }
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** True when a request with this Host header may be answered; no header (HTTP/1.0) cannot come from a page. */
export function hostAllowed(header: string | undefined, policy: HostPolicy): boolean {
  if (policy === null || header === undefined) return true;
  const name = hostName(header);
  if (name === null) return false;
  if (isIP(name) !== 0 || name === 'localhost') return true;
  return policy.some((allowed) => (allowed.startsWith('.') ? name === allowed.slice(1) || name.endsWith(allowed) : name === allowed));
}

/** The one-line refusal (403) for a Host that is not allowed. */
export function hostRefusal(header: string): string {
  return `host ${JSON.stringify(header.slice(0, 100))} is not allowed: this server answers only its IP addresses, localhost and the names in http.allowed_hosts (a page under another name could be a DNS-rebinding attack); to open it under this name, add the name to http.allowed_hosts`;
}
