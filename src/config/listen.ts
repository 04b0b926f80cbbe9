// The `http.listen` address: "127.0.0.1:9102", "[::1]:9102", "localhost:9102" or ":9102" (every
// interface). Pure: parsing and the loopback test, no sockets.
import { isIP } from 'node:net';

/** A parsed listen address; `host` is what to bind ("" = every interface). */
export interface ListenAddress {
  host: string;
  port: number;
  /** True when only this machine can connect (127.0.0.0/8, ::1, localhost). */
  loopback: boolean;
}

const FORMAT = 'use host:port with an IP address, e.g. "127.0.0.1:9102", "[::1]:9102" or ":9102" for every interface, or "" for off';

/** Parses a listen address; a string is the problem (what is wrong; what is accepted). */
export function parseListen(text: string): ListenAddress | string {
  const m = /^(?:\[([^\]]*)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim());
  if (!m) return `${JSON.stringify(text)} is not a listen address; ${FORMAT}`;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return `port ${m[3]} is out of range; use a port from 1 to 65535`;
  const bracketed = m[1] !== undefined;
  const host = (m[1] ?? m[2] ?? '').toLowerCase();
  if (host === 'localhost') return { host: '127.0.0.1', port, loopback: true };
  if (host === '') return { host: '', port, loopback: false };
  const family = isIP(host);
  if (family === 0 || (family === 6) !== bracketed) {
    return `${JSON.stringify(text)}: ${JSON.stringify(host)} is not an IP address${family === 6 ? ' (write IPv6 addresses in brackets)' : ''}; ${FORMAT}`;
  }
  return { host, port, loopback: isLoopback(host) };
}

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x.y.z). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** The address as written in messages: 127.0.0.1:9102, [::1]:9102, *:9102 for every interface. */
export function formatListen(a: Pick<ListenAddress, 'host' | 'port'>): string {
  if (a.host === '') return `*:${a.port}`;
  return `${a.host.includes(':') ? `[${a.host}]` : a.host}:${a.port}`;
}
