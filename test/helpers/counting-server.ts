// A health endpoint on 127.0.0.1 that counts the connections it accepted (its 'connection' event) and can drop
// them in the ways a server's keep-alive handling does: for the keep-alive tests of the client and the daemon.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** How the server treats a connection: keeps it, drops it right after each answer, or answers only its first request
 * (a second one on it is cut off unanswered, as when a server's keep-alive timeout races the request). */
export type Drop = 'never' | 'after-answer' | 'on-second-request';

/** A running server; `url` points at /health. */
export interface CountingServer {
  url: string;
  connections(): number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1, port 0, that answers every GET 200 {"status":"Healthy"} and counts connections. */
export async function countingServer(drop: Drop): Promise<CountingServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const served = new WeakMap<Socket, number>();
  const server = http.createServer((req, res) => {
    const socket = req.socket;
    const n = (served.get(socket) ?? 0) + 1;
    served.set(socket, n);
    if (drop === 'on-second-request' && n > 1) return void socket.destroy();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'Healthy' }), () => void (drop === 'after-answer' && socket.destroy()));
  });
  server.keepAliveTimeout = 60_000; // longer than the test: only `drop` closes a connection
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`,
    connections: () => connections,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
