// Warms the HTTP client up before a probe's clock starts: two GETs, through the probe's own code, to a
// throwaway server of this process on 127.0.0.1 (port 0), over TLS for an https target. The first request
// of a process otherwise loads and compiles node's HTTP (and TLS) client: a one-shot `check` read ~20 ms
// where a warm daemon and curl read 2-5 ms (bench/README.md). The server is a bare socket server with a
// canned answer: node's HTTP server would only add code to warm that the probe never runs.
import { lookup } from 'node:dns';
import net from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import type { SecureContext } from 'node:tls';
import { getOnce } from './http-hop.js';
import { loadTls } from './lazy-tls.js';
import { WARMUP_CERT, WARMUP_KEY } from './warmup-cert.js';

/** The longest a warm-up may take; past it the probe goes ahead cold. */
export const WARMUP_TIMEOUT_MS = 2000;

const BODY = '{"status":"warm-up"}';
const ANSWER = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${BODY.length}\r\nconnection: close\r\n\r\n${BODY}`;
// Measured (bench/first-request.mjs, CPU time): unwarmed, a process's first request costs 2-3 times a
// later one (V8 compiles lazily); after one warm-up GET 1.2-1.7 times, after two a little less again;
// a third only moves a tier-up of V8 onto the next request.
const REQUESTS = 2;

/** Warms the client for `target`'s scheme (and name lookups for a host name); true when the warm-up
 * requests got their answers. Never rejects: a failed warm-up only leaves the probe colder. */
export async function warmUpClient(target: URL, signal?: AbortSignal): Promise<boolean> {
  const tls = target.protocol === 'https:';
  const bounded = signal ? AbortSignal.any([signal, AbortSignal.timeout(WARMUP_TIMEOUT_MS)]) : AbortSignal.timeout(WARMUP_TIMEOUT_MS);
  let loopback: Loopback | undefined;
  try {
    loopback = throwawayServer(tls);
    const url = await loopback.listen(bounded);
    const lookedUp = net.isIP(bare(target.hostname)) ? null : warmLookup(bounded);
    const secureContext = tls ? loadTls().createSecureContext({ ca: WARMUP_CERT }) : undefined;
    let ok = true;
    for (let i = 0; i < REQUESTS; i++) ok = (await warmGet(url, secureContext, bounded)) && ok;
    await lookedUp;
    return ok;
  } catch {
    return false;
  } finally {
    await loopback?.close();
  }
}

interface Loopback {
  /** Listens on 127.0.0.1, port 0; resolves with the URL to request. */
  listen(signal: AbortSignal): Promise<URL>;
  /** Stops listening and destroys what is still open. */
  close(): Promise<void>;
}

function throwawayServer(tls: boolean): Loopback {
  const server = tls ? loadTls().createServer({ key: WARMUP_KEY, cert: WARMUP_CERT }, answer) : net.createServer(answer);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    listen: async (signal) => new URL(`${tls ? 'https' : 'http'}://127.0.0.1:${await listenLoopback(server, signal)}/health`),
    close: () => closeServer(server, sockets),
  };
}

function answer(socket: Socket): void {
  socket.on('error', () => undefined);
  socket.once('data', () => socket.end(ANSWER));
}

async function warmGet(target: URL, secureContext: SecureContext | undefined, signal: AbortSignal): Promise<boolean> {
  const headers = { 'user-agent': 'anomaly-guard', accept: 'application/json' };
  const hop = await getOnce({ target, headers, maxBodyBytes: 1024, secureContext, signal, abortDetail: () => 'aborted', startMs: performance.now() });
  return hop.kind === 'response' && hop.body.toString() === BODY;
}

// The resolver's first call loads its own code (and the system's name-service modules). The name is this
// machine's own (answered from /etc/hosts), so no cache is primed for the target; bounded by the signal.
function warmLookup(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
    lookup('localhost', () => resolve());
  });
}

function listenLoopback(server: Server, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null): void => {
      signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve((server.address() as AddressInfo).port);
    };
    const onAbort = (): void => done(new Error('warm-up aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    server.once('error', done);
    server.listen(0, '127.0.0.1', () => done(null));
  });
}

// Answered sockets are closing already (connection: close); one cut short by the deadline is destroyed.
function closeServer(server: Server, sockets: Set<Socket>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => setImmediate(resolve));
    for (const socket of sockets) socket.destroy();
  });
}

function bare(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}
