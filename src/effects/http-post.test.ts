// The POST client's one error table, against real servers on 127.0.0.1 (port 0): a 2xx, a non-2xx with
// its reply quoted, a refused connection, a server slower than the deadline, a certificate it cannot
// verify, an aborted request; and how a target is named.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certFor127 } from '../../test/helpers/certs.js';
import { hostPort, nodeHttpPost, targetName, type PostResult } from './http-post.js';

const post = nodeHttpPost();
const SECRET = 'http://hook:pa55word@127.0.0.1:PORT/services/XXXXSECRET?token=abc123';
let servers: Server[] = [];
afterEach(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

// A server answering every request with `handler`, and the bodies it received.
async function serve(handler: RequestListener): Promise<{ url: (secret?: boolean) => URL; bodies: string[] }> {
  const bodies: string[] = [];
  const port = await listen(createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      bodies.push(body);
      handler(req, res);
    });
  }));
  return { url: () => new URL(SECRET.replace('PORT', String(port))), bodies };
}

describe('nodeHttpPost: one error table', () => {
  const scenarios: Array<{ name: string; answer: RequestListener; want: PostResult }> = [
    { name: 'a 2xx is ok with its status', answer: (_q, res) => res.writeHead(202).end('accepted'), want: { ok: true, status: 202 } },
    { name: 'a 500 is a status failure quoting the reply', answer: (_q, res) => res.writeHead(500).end('boom:\n bad labels'), want: { ok: false, kind: 'status', status: 500, detail: 'HTTP 500', reply: 'boom: bad labels' } },
    { name: 'a 429 without a body', answer: (_q, res) => res.writeHead(429).end(), want: { ok: false, kind: 'status', status: 429, detail: 'HTTP 429', reply: '' } },
    {
      name: 'a long reply is cut to its first 200 characters on one line',
      answer: (_q, res) => res.writeHead(503).end(`${'x'.repeat(150)}\r\n\t${'y'.repeat(100)}`),
      want: { ok: false, kind: 'status', status: 503, detail: 'HTTP 503', reply: `${'x'.repeat(150)} ${'y'.repeat(49)}` },
    },
  ];
  it.each(scenarios)('$name', async ({ answer, want }) => {
    const server = await serve(answer);
    expect(await post(server.url(), { alerts: [1, 2] }, { timeoutMs: 30_000 })).toEqual(want);
    expect(server.bodies.map((b) => JSON.parse(b))).toEqual([{ alerts: [1, 2] }]);
  });

  it('a refused connection is a connection failure', async () => {
    const port = await listen(createServer());
    await new Promise((resolve) => servers.pop()!.close(resolve)); // the port is closed now
    expect(await post(new URL(SECRET.replace('PORT', String(port))), [], { timeoutMs: 30_000 })).toEqual({ ok: false, kind: 'connection', detail: 'connection refused' });
  });

  it('a server slower than the deadline is a timeout', async () => {
    const server = await serve(() => undefined); // reads the request, never answers
    expect(await post(server.url(), [], { timeoutMs: 200 })).toEqual({ ok: false, kind: 'timeout', detail: 'timeout after 200 ms' });
  });

  it('an aborted request says so', async () => {
    const server = await serve((_q, res) => res.end());
    expect(await post(server.url(), [], { timeoutMs: 30_000, signal: AbortSignal.abort() })).toEqual({ ok: false, kind: 'aborted', detail: 'aborted' });
  });

  describe('https', () => {
    let dir = '';
    let made: ReturnType<typeof certFor127> = null;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ag-post-tls-'));
      made = certFor127(dir, 30);
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a certificate it cannot verify is a TLS failure in words', async (ctx) => {
      if (made === null) return ctx.skip();
      const port = await listen(createHttpsServer({ key: made.key, cert: made.cert }, (_q, res) => res.end()));
      const url = new URL(`https://hook:pa55word@127.0.0.1:${port}/services/XXXXSECRET`);
      expect(await post(url, [], { timeoutMs: 30_000 })).toEqual({ ok: false, kind: 'tls', detail: 'TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' });
    });
  });
});

describe('naming a target without its secrets', () => {
  it.each([
    ['http://hook:pa55word@127.0.0.1/services/XXXXSECRET?token=abc123', '127.0.0.1:80', 'http://127.0.0.1:80'],
    ['https://am.example:9443/alertmanager/', 'am.example:9443', 'https://am.example:9443'],
    ['https://[::1]/x', '[::1]:443', 'https://[::1]:443'],
    ['http://[::1]:9093', '[::1]:9093', 'http://[::1]:9093'],
  ])('%s → %s, %s', (raw, hp, name) => {
    expect(hostPort(new URL(raw))).toBe(hp);
    expect(targetName(new URL(raw))).toBe(name);
  });
});
