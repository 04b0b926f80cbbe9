// The app on a real socket (127.0.0.1, a free port): raw requests the URL parser of a test client would
// have cleaned up, a stream client that goes away, a close that does not wait for open streams, and an
// address in use reported as a value.
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseListen, type ListenAddress } from '../../src/config/listen.js';
import { startHttpServer, type HttpServer } from '../../src/http/serve.js';
import { appFixture, TOKEN, type AppFixture } from './app-fixture.js';

let fx: AppFixture;
let server: HttpServer | null = null;
afterEach(async () => {
  await server?.close(100);
  server = null;
  fx?.cleanup();
});

const ANY_PORT: ListenAddress = { host: '127.0.0.1', port: 0, loopback: true };

async function listen(): Promise<HttpServer> {
  fx = appFixture();
  const got = await startHttpServer(fx.app.fetch, ANY_PORT);
  if (typeof got === 'string') throw new Error(got);
  server = got;
  return got;
}

/** Sends raw request bytes and resolves with the whole answer (the server closes: Connection: close). */
function raw(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
    let got = '';
    socket.setEncoding('utf8').on('data', (d: string) => (got += d));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
    socket.setTimeout(3000, () => reject(new Error(`no answer; got ${JSON.stringify(got)}`)));
  });
}

describe('on a socket', () => {
  it.each([
    '/assets/../../etc/passwd',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2F..%2Fetc%2Fpasswd',
    '/../../../../etc/passwd',
    '/assets/....//....//etc/passwd',
    'http://127.0.0.1/../../etc/passwd',
  ])('raw GET %s → 404, no file', async (target) => {
    const s = await listen();
    const answer = await raw(s.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 (404|400) /);
    expect(answer).not.toContain('root:');
  });

  it('a POST with a body is refused with 405 and the body is not needed', async () => {
    const s = await listen();
    const answer = await raw(s.port, `POST /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`);
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer.toLowerCase()).toContain('allow: get, head');
  });

  it('a stream client that disconnects frees its place; close() ends open streams at once', async () => {
    const s = await listen();
    const socket = net.connect(s.port, '127.0.0.1');
    socket.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    await new Promise<void>((r) => socket.once('data', () => r()));
    expect(fx.sse.clients).toBe(1);
    socket.destroy();
    await waitFor(() => fx.sse.clients === 0);
    const second = net.connect(s.port, '127.0.0.1');
    second.on('error', () => undefined);
    second.write(`GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\n\r\n`);
    await new Promise<void>((r) => second.once('data', () => r()));
    const ended = new Promise<void>((r) => second.once('close', () => r()));
    const t0 = Date.now();
    fx.sse.close();
    await s.close(5000);
    await ended;
    expect(Date.now() - t0).toBeLessThan(1000);
    server = null;
  });

  it('an address in use is a problem value naming the address', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as AddressInfo).port;
    try {
      fx = appFixture();
      const got = await startHttpServer(fx.app.fetch, parseListen(`127.0.0.1:${port}`) as ListenAddress);
      expect(got).toBe(`cannot listen on 127.0.0.1:${port}: the address is in use (another program listens there) (EADDRINUSE)`);
    } finally {
      holder.close();
    }
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:9102', { host: '127.0.0.1', port: 9102, loopback: true }],
    ['127.3.4.5:80', { host: '127.3.4.5', port: 80, loopback: true }],
    ['[::1]:9102', { host: '::1', port: 9102, loopback: true }],
    ['localhost:9102', { host: '127.0.0.1', port: 9102, loopback: true }],
    ['0.0.0.0:9102', { host: '0.0.0.0', port: 9102, loopback: false }],
    [':9102', { host: '', port: 9102, loopback: false }],
    ['[::]:9102', { host: '::', port: 9102, loopback: false }],
    ['192.168.1.10:9102', { host: '192.168.1.10', port: 9102, loopback: false }],
    ['[::ffff:127.0.0.1]:9102', { host: '::ffff:127.0.0.1', port: 9102, loopback: true }],
  ])('%s', (text, want) => {
    expect(parseListen(text)).toEqual(want);
  });

  it.each(['9102', '127.0.0.1', '::1:9102', '127.0.0.1:0', '127.0.0.1:99999', 'example.com:80', '[127.0.0.1]:80', '127.0.0.1:http'])('%s is refused', (text) => {
    expect(typeof parseListen(text)).toBe('string');
  });
});

async function waitFor(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 30_000; // ends as soon as it holds; long enough for a loaded machine
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
