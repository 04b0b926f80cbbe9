// Puts the app on a socket: node:http through @hono/node-server, bounded connections (connection-guard.ts),
// deadlines on every phase of a connection, and a close that ends open streams instead of waiting for
// them. A failure to listen is a value (the guarding goes on).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { guardConnections, type ConnectionCaps } from './connection-guard.js';
import { formatListen, type ListenAddress } from '../config/listen.js';

/** A listening server. */
export interface HttpServer {
  /** Where it listens, e.g. 127.0.0.1:9102. */
  address: string;
  port: number;
  /** Stops accepting, ends open connections (after `graceMs` at the latest) and resolves once closed. */
  close(graceMs?: number): Promise<void>;
}

/** The connection limits (docs/http-api.md, "Connections"). Every route is a GET without a body, so a
 * request has no reason to take long to arrive: nginx's client_header_timeout and Go's ReadHeaderTimeout,
 * shortened. */
export interface ConnectionLimits extends ConnectionCaps {
  /** The request line and headers must arrive within this (then 408 and close). */
  headersTimeoutMs: number;
  /** The whole request must arrive within this. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** A connection with no traffic either way (a client that stopped reading its answer) is closed after this. */
  idleTimeoutMs: number;
  /** How often the header and request deadlines are checked. */
  checkEveryMs: number;
}

/** The limits the daemon uses. */
export const CONNECTION_LIMITS: ConnectionLimits = {
  maxConnections: 256,
  maxPerClient: 64,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 15_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 60_000,
  checkEveryMs: 1_000,
};

const WHY: Record<string, string> = {
  EADDRINUSE: 'the address is in use (another program listens there)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'this machine has no such address',
};

/** Listens on `listen` with the app's fetch handler; resolves with the server, or the problem as a string. */
export function startHttpServer(
  fetch: (req: Request) => Response | Promise<Response>,
  listen: ListenAddress,
  limits: ConnectionLimits = CONNECTION_LIMITS,
): Promise<HttpServer | string> {
  const serverOptions = {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkEveryMs,
  };
  const server = createAdaptorServer({ fetch, overrideGlobalObjects: false, serverOptions }) as Server;
  server.setTimeout(limits.idleTimeoutMs); // no 'timeout' listener: the socket is destroyed
  guardConnections(server, limits);
  return new Promise((resolve) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const code = err.code ?? 'error';
      resolve(`cannot listen on ${formatListen(listen)}: ${WHY[code] ?? err.message} (${code})`);
    };
    server.once('error', onError);
    server.listen({ port: listen.port, ...(listen.host !== '' ? { host: listen.host } : {}) }, () => {
      server.off('error', onError);
      const port = (server.address() as AddressInfo).port;
      resolve({ address: formatListen({ host: listen.host, port }), port, close: (graceMs) => closeServer(server, graceMs ?? 2000) });
    });
  });
}

function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    // A response that is finishing (a stream just ended) leaves a keep-alive connection idle a moment later.
    const idle = setInterval(() => server.closeIdleConnections(), 50).unref();
    const timer = setTimeout(() => server.closeAllConnections(), graceMs).unref();
    server.close(() => {
      clearInterval(idle);
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
