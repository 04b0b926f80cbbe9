// A real HTTP(S) health endpoint on 127.0.0.1 for tests, with switchable healthy and failure modes.
import http from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import https from 'node:https';
import net from 'node:net';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the server answers every path except `/ok` (which always answers healthy) and `/control/healthy`
 * (switches the mode back to healthy: a heal command can "restart" the service with one GET). */
export type HealthMode =
  | { kind: 'healthy'; delayMs?: number } // 200 {"status":"Healthy"}, after delayMs
  | { kind: 'then'; first: HealthMode; count: number; after: HealthMode } // the next `count` requests as `first`, then `after`
  | { kind: 'status'; status: unknown } // 200 {"status": <status>}
  | { kind: 'http'; code: number; body?: string }
  | { kind: 'body'; body: string | Buffer; contentType?: string; chunked?: boolean } // 200 with this exact body
  | { kind: 'hang' } // accepts the request, never answers
  | { kind: 'drip'; bytesPerSecond?: number } // 200 headers, then one byte at a time (default 1/s)
  | { kind: 'close-mid-body' } // promises 100 bytes, sends a few, drops the connection
  | { kind: 'redirect-loop' } // 302 to itself, forever
  | { kind: 'redirect'; location: string; code?: number }; // one redirect (e.g. to '/ok')

/** A request as the server saw it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** performance.now() when the request arrived, and when the answer's first byte was written (`healthy` mode). */
  arrivedMs: number;
  answeredMs?: number;
}

/** A running test server; `url` points at `/health`. */
export interface HealthServer {
  url: string;
  port: number;
  setMode(mode: HealthMode): void;
  /** How many requests arrived so far (all paths). */
  readonly requests: number;
  /** Every request received, oldest first. */
  readonly received: ReceivedRequest[];
  /** Stops listening and destroys open connections (hanging ones too). */
  close(): Promise<void>;
}

/** Serves HTTPS with this key and certificate (PEM) instead of HTTP. */
export interface HealthServerOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
}

const HEALTHY_BODY = JSON.stringify({ status: 'Healthy' });

/** Starts the server on 127.0.0.1, port 0, in mode `healthy`. */
export async function startHealthServer(options: HealthServerOptions = {}): Promise<HealthServer> {
  let mode: HealthMode = { kind: 'healthy' };
  const received: ReceivedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const seen: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, arrivedMs: performance.now() };
    received.push(seen);
    res.on('error', () => {}); // the client may go away mid-write (body cap, timeout)
    if (req.url === '/control/healthy') {
      mode = { kind: 'healthy' };
      return void res.writeHead(204).end();
    }
    if (mode.kind === 'then') {
      const now = mode.count > 0 ? mode.first : mode.after;
      mode = mode.count > 1 ? { ...mode, count: mode.count - 1 } : mode.after;
      return serve(now, res, seen);
    }
    serve(req.url === '/ok' ? { kind: 'healthy' } : mode, res, seen);
  };
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  const sockets = trackSockets(server);
  const port = await listen(server);
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}/health`,
    port,
    setMode: (next) => {
      mode = next;
    },
    get requests() {
      return received.length;
    },
    received,
    close: () => closeServer(server, sockets),
  };
}

/** A URL on a loopback port that nobody listens on (a connection is refused). */
export async function refusedUrl(): Promise<string> {
  const probe = net.createServer();
  const port = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/health`;
}

function serve(mode: HealthMode, res: ServerResponse, seen: ReceivedRequest): void {
  switch (mode.kind) {
    case 'then':
      return serve(mode.first, res, seen);
    case 'healthy':
      return later(res, mode.delayMs ?? 0, () => {
        seen.answeredMs = performance.now();
        sendJson(res, 200, HEALTHY_BODY);
      });
    case 'status':
      return sendJson(res, 200, JSON.stringify({ status: mode.status }));
    case 'http':
      res.writeHead(mode.code, { 'content-type': 'text/plain' }).end(mode.body ?? '');
      return;
    case 'body':
      res.writeHead(200, { 'content-type': mode.contentType ?? 'application/json' });
      if (mode.chunked) res.write(mode.body); // no Content-Length: the client learns the size only by reading
      res.end(mode.chunked ? undefined : mode.body);
      return;
    case 'hang':
      return;
    case 'drip':
      return drip(res, mode.bytesPerSecond ?? 1);
    case 'close-mid-body':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"status":', () => res.destroy());
      return;
    case 'redirect-loop':
      res.writeHead(302, { location: '/health' }).end();
      return;
    case 'redirect':
      res.writeHead(mode.code ?? 302, { location: mode.location }).end();
      return;
  }
}

function sendJson(res: ServerResponse, code: number, body: string): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(body);
}

function later(res: ServerResponse, delayMs: number, answer: () => void): void {
  if (delayMs <= 0) return answer();
  const timer = setTimeout(answer, delayMs);
  res.on('close', () => clearTimeout(timer));
}

function drip(res: ServerResponse, bytesPerSecond: number): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100000' });
  res.write(' ');
  const timer = setInterval(() => res.write(' '), 1000 / bytesPerSecond);
  res.on('close', () => clearInterval(timer));
}

function trackSockets(server: Server | net.Server): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: net.Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const socket of sockets) socket.destroy();
  });
}

/**
 * One health server for a whole test file: started before its first test, closed after its last (vitest's
 * beforeAll / afterAll, registered here). The handle forwards to the running server; use it in tests and
 * hooks, not at the top level of the file (it is not started yet there).
 */
export function sharedHealthServer(options: HealthServerOptions = {}): HealthServer {
  let running: HealthServer | null = null;
  beforeAll(async () => {
    running = await startHealthServer(options);
  });
  afterAll(async () => {
    await running?.close();
    running = null;
  });
  const now = (): HealthServer => {
    if (running === null) throw new Error('the shared health server is not running: use it inside a test or a hook');
    return running;
  };
  return {
    get url() {
      return now().url;
    },
    get port() {
      return now().port;
    },
    get requests() {
      return now().requests;
    },
    get received() {
      return now().received;
    },
    setMode: (mode) => now().setMode(mode),
    close: () => now().close(),
  };
}
