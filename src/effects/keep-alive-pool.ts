// The daemon's shared keep-alive connections (health.keep_alive: true): one node:http Agent for every
// http:// target and one node:https Agent per trusted-CA setting (a connection verified against one CA
// set is never lent to a probe that trusts another). Connections in use are not capped per origin: the daemon's
// max_concurrent_probes bounds them, and its wait is logged, not timed; a cap here would make probes of targets
// sharing an origin wait for each other inside their timed request (the guard measuring its own queue).
import http from 'node:http';
import type { Agent } from 'node:http';
import { loadHttps } from './lazy-tls.js';

/** Idle connections kept per origin (scheme, host, port) at most; more in use at once are closed after their answer. */
export const MAX_IDLE_PER_ORIGIN = 64;

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
  const options = { keepAlive: true, maxSockets: Number.POSITIVE_INFINITY, maxFreeSockets: MAX_IDLE_PER_ORIGIN, scheduling: 'lifo' as const };
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
