// The daemon's shared keep-alive connections (health.keep_alive: true): one node:http Agent for every
// http:// target and one node:https Agent per trusted-CA setting (a connection verified against one CA
// set is never lent to a probe that trusts another), each with a bounded number of sockets per origin.
import http from 'node:http';
import type { Agent } from 'node:http';
import { loadHttps } from './lazy-tls.js';

/** Sockets per origin (scheme, host, port) at most, in use or idle: targets sharing one origin beyond this wait
 * for a socket inside the request (their wait is timed, as a busy server's queue would be). */
export const MAX_SOCKETS_PER_ORIGIN = 16;

/** Where keep-alive requests get their connections. */
export interface KeepAlivePool {
  /** The agent for a target (and, over https, the trusted-CA setting `caKey`, "" = system roots only). */
  agentFor(target: URL, caKey: string): Agent;
  /** Whether a connection to the target's origin lies idle in its agent's pool (the next request reuses it). */
  idle(target: URL, caKey: string): boolean;
  /** Closes every idle connection (the daemon's stop). */
  close(): void;
}

/** A new pool, empty until the first request. */
export function keepAlivePool(): KeepAlivePool {
  const options = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN, maxFreeSockets: MAX_SOCKETS_PER_ORIGIN, scheduling: 'lifo' as const };
  let plain: Agent | undefined;
  const secure = new Map<string, Agent>();
  const agentFor = (target: URL, caKey: string): Agent => {
    if (target.protocol === 'http:') return (plain ??= new http.Agent(options));
    const found = secure.get(caKey);
    if (found) return found;
    const made = new (loadHttps().Agent)(options);
    secure.set(caKey, made);
    return made;
  };
  return {
    agentFor,
    idle: (target, caKey) => {
      // An agent names an origin's pool "host:port:…" (node's Agent.getName).
      const prefix = `${target.hostname.replace(/^\[(.*)\]$/, '$1')}:${target.port || (target.protocol === 'https:' ? 443 : 80)}:`;
      const free = agentFor(target, caKey).freeSockets;
      return Object.keys(free).some((name) => name.startsWith(prefix) && (free[name]?.length ?? 0) > 0);
    },
    close: () => {
      plain?.destroy();
      for (const agent of secure.values()) agent.destroy();
    },
  };
}
