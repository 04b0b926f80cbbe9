// Slowloris on the HTTP port, with real sockets: clients that open many connections and send a header
// line now and then never take the server from another client (or from a new connection of their own):
// the oldest connection without a request in progress makes room, one address holds at most
// maxPerClient, and headers that never finish are cut at headersTimeout (408). Small caps keep it quick;
// the daemon's are 256 and 64 (CONNECTION_LIMITS).
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECTION_LIMITS, startHttpServer, type ConnectionLimits, type HttpServer } from '../../src/http/serve.js';
import { waitFor } from '../daemon/daemon-process.js';
import { appFixture, type AppFixture } from './app-fixture.js';

let fx: AppFixture | undefined;
let server: HttpServer | undefined;
const attackers: SlowClient[] = [];
afterEach(async () => {
  for (const a of attackers.splice(0)) a.stop();
  await server?.close(100);
  fx?.cleanup();
  server = fx = undefined;
});

const CAPS: ConnectionLimits = { ...CONNECTION_LIMITS, maxConnections: 16, maxPerClient: 8, headersTimeoutMs: 120_000, requestTimeoutMs: 120_000 };

async function listen(limits: ConnectionLimits): Promise<number> {
  fx = appFixture();
  const got = await startHttpServer(fx.app.fetch, { host: '127.0.0.1', port: 0, loopback: true }, limits);
  if (typeof got === 'string') throw new Error(got);
  server = got;
  return got.port;
}

interface SlowClient {
  /** Connections the server has not closed yet. */
  open(): number;
  /** What the server sent on any of them. */
  received(): string;
  stop(): void;
}

/** `count` connections from `from`, each sending a request line and then one header line every 100 ms. */
async function slowClient(port: number, from: string, count: number): Promise<SlowClient> {
  const sockets: net.Socket[] = [];
  let open = 0;
  let received = '';
  for (let i = 0; i < count; i++) {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    open += 1;
    socket.on('close', () => (open -= 1)).on('error', () => undefined).on('data', (d) => (received += d));
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    sockets.push(socket);
  }
  const drip = setInterval(() => sockets.forEach((s, i) => !s.destroyed && s.write(`X-Slow-${i}: 1\r\n`)), 100);
  const client = { open: () => open, received: () => received, stop: () => (clearInterval(drip), sockets.forEach((s) => s.destroy())) };
  attackers.push(client);
  return client;
}

/** GET /healthz on a new connection from 127.0.0.1; the status, or the error's code. */
function healthz(port: number): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/healthz', agent: false, headers: { connection: 'close' } }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe('slowloris', () => {
  it.each([
    ['another address', ['127.0.0.2']],
    ['the same address as the client (loopback)', ['127.0.0.1']],
    ['four addresses, twice the cap between them', ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5']],
  ])('slow connections from %s: /healthz answers 20 of 20; one address keeps at most maxPerClient', async (_name, addresses) => {
    const port = await listen(CAPS);
    const slow: SlowClient[] = [];
    for (const from of addresses) slow.push(await slowClient(port, from, 20));
    for (const s of slow) await waitFor('the server to close what is over the per-client cap', () => s.open() <= CAPS.maxPerClient);
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 20; i++) statuses.push(await healthz(port));
    expect(statuses).toEqual(Array(20).fill(200));
    expect(slow.reduce((n, s) => n + s.open(), 0)).toBeLessThanOrEqual(CAPS.maxConnections);
  });

  it('headers that never finish are answered 408 and closed at headersTimeout, though a line arrives every 100 ms', async () => {
    const port = await listen({ ...CAPS, headersTimeoutMs: 400, requestTimeoutMs: 800, checkEveryMs: 100 });
    const slow = await slowClient(port, '127.0.0.2', 3);
    await waitFor('the server to close the slow connections', () => slow.open() === 0, 15_000);
    expect(slow.received()).toContain('HTTP/1.1 408 Request Timeout');
    expect(await healthz(port)).toBe(200);
  });

  it('a connection serving a request (an event stream) is never closed to make room', async () => {
    const port = await listen({ ...CAPS, maxPerClient: 2 });
    const controller = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${port}/api/stream`, { headers: { authorization: 'Bearer test-token-0123456789abcdef' }, signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read(); // connected
    const slow = await slowClient(port, '127.0.0.1', 10);
    await waitFor('the slow connections to be cut to the cap', () => slow.open() <= 1);
    expect(await healthz(port)).toBe(200);
    fx!.sse.publish('cycle', { cycle: 1 });
    expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: cycle');
    controller.abort();
  });
});
