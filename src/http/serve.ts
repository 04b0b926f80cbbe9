// Puts the app on a socket: node:http through @hono/node-server, bounded connections, and a close that
// ends open streams instead of waiting for them. A failure to listen is a value (the guarding goes on).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { formatListen, type ListenAddress } from './listen.js';

/** A listening server. */
export interface HttpServer {
  /** Where it listens, e.g. 127.0.0.1:9102. */
  address: string;
  port: number;
  /** Stops accepting, ends open connections (after `graceMs` at the latest) and resolves once closed. */
  close(graceMs?: number): Promise<void>;
}

const WHY: Record<string, string> = {
  EADDRINUSE: 'the address is in use (another program listens there)',
  EACCES: 'permission denied (ports below 1024 need privileges)',
  EADDRNOTAVAIL: 'this machine has no such address',
};

/** Listens on `listen` with the app's fetch handler; resolves with the server, or the problem as a string. */
export function startHttpServer(fetch: (req: Request) => Response | Promise<Response>, listen: ListenAddress): Promise<HttpServer | string> {
  const server = createAdaptorServer({ fetch, overrideGlobalObjects: false }) as Server;
  server.maxConnections = 256;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
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
