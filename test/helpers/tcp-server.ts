// A real TCP (or TLS) server on 127.0.0.1 for tests, answering as a test tells it: like a database that
// waits for the client, a Redis that answers PING, a mail server that greets first, one that never answers.
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo, Socket } from 'node:net';

/** How the server treats each connection. */
export type TcpMode =
  | { kind: 'silent' } // accepts and waits (PostgreSQL before the client's startup message)
  | { kind: 'banner'; text: string } // writes this at once (SMTP, SSH)
  | { kind: 'reply'; when: string; text: string } // once the client sent `when`, writes `text` (Redis PING → +PONG)
  | { kind: 'close' }; // closes its side at once (FIN, no reset)

/** A running server; `received` is what each connection sent, oldest first. */
export interface TcpServer {
  port: number;
  /** tcp://127.0.0.1:<port> (tls:// for a TLS server). */
  url: string;
  setMode(mode: TcpMode): void;
  readonly connections: number;
  readonly received: string[];
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1, port 0; with `tls` it speaks TLS with that key and certificate. */
export async function startTcpServer(mode: TcpMode, opts: { tls?: { key: string; cert: string } } = {}): Promise<TcpServer> {
  let current = mode;
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const onConnection = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const index = received.push('') - 1;
    socket.on('data', (chunk: Buffer) => {
      received[index] += chunk.toString('utf8');
      if (current.kind === 'reply' && (received[index] as string).includes(current.when)) socket.write(current.text);
    });
    if (current.kind === 'banner') socket.write(current.text);
    if (current.kind === 'close') socket.end();
  };
  const server = opts.tls ? tls.createServer(opts.tls, onConnection) : net.createServer(onConnection);
  server.on('tlsClientError', () => undefined);
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  return {
    port,
    url: `${opts.tls ? 'tls' : 'tcp'}://127.0.0.1:${port}`,
    setMode: (next) => {
      current = next;
    },
    get connections() {
      return received.length;
    },
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
