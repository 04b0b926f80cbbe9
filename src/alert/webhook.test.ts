import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeHttpPost } from '../effects/http-post.js';
import type { AnomalyTriggerRecord } from '../log/records.js';
import { postWebhook } from './webhook.js';

const post = nodeHttpPost();
const trigger: AnomalyTriggerRecord = {
  event: 'anomaly_trigger',
  ts: '2025-10-21T08:35:00.123456Z',
  reasons: ['health_unhealthy (HTTP 503)'],
  latency: 12.5,
  score: null,
  cpu: 10.1,
  mem: 20.2,
  disk: 30.3,
};
const SECRET_PATH = '/services/T000/B000/XXXXSECRET';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

// A webhook receiver on 127.0.0.1 answering with the given statuses in turn (the last one repeats).
async function receiver(statuses: number[]): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length, statuses.length) - 1] ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

describe('postWebhook', () => {
  let server: Server | undefined;
  const delays: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    delays.push(ms);
  };
  beforeEach(() => {
    delays.length = 0;
  });
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('POSTs the record as JSON with a one-line text, credentials from the URL', async () => {
    const r = await receiver([200]);
    server = r.server;
    const url = `http://hook:s3cret@127.0.0.1:${r.port}${SECRET_PATH}?token=abc`;
    const result = await postWebhook(trigger, { url, timeoutMs: 2000 }, { post, sleep });
    expect(result).toEqual({ channel: 'webhook', ok: true, detail: null });
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got).toMatchObject({ method: 'POST', url: `${SECRET_PATH}?token=abc` });
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('hook:s3cret').toString('base64')}`);
    expect(JSON.parse(got.body)).toEqual({ ...trigger, text: 'anomaly-guard: anomaly_trigger — health_unhealthy (HTTP 503)' });
  });

  const scenarios: Array<{ name: string; statuses: number[]; ok: boolean; requests: number; detail: (port: number) => string | null }> = [
    { name: '500 twice then 200 is delivered on the third attempt', statuses: [500, 500, 200], ok: true, requests: 3, detail: () => null },
    { name: 'a 503 every time gives up after 3 attempts', statuses: [503], ok: false, requests: 3, detail: (p) => `webhook http://127.0.0.1:${p}: HTTP 503 (3 attempts)` },
    { name: 'a 404 is not retried', statuses: [404], ok: false, requests: 1, detail: (p) => `webhook http://127.0.0.1:${p}: HTTP 404` },
  ];
  for (const s of scenarios) {
    it(s.name, async () => {
      const r = await receiver(s.statuses);
      server = r.server;
      const result = await postWebhook(trigger, { url: `http://127.0.0.1:${r.port}${SECRET_PATH}`, timeoutMs: 2000 }, { post, sleep });
      expect(result).toEqual({ channel: 'webhook', ok: s.ok, detail: s.detail(r.port) });
      expect(r.received).toHaveLength(s.requests);
      expect(delays).toHaveLength(s.requests - 1);
    });
  }

  it('reports a refused connection after 3 attempts without leaking the URL secrets', async () => {
    const r = await receiver([200]);
    await new Promise((resolve) => r.server.close(resolve)); // the port is now closed
    const url = `http://hook:pa55word@127.0.0.1:${r.port}${SECRET_PATH}?token=abc123`;
    const result = await postWebhook(trigger, { url, timeoutMs: 2000 }, { post, sleep });
    expect(result).toEqual({ channel: 'webhook', ok: false, detail: `webhook http://127.0.0.1:${r.port}: connection refused (3 attempts)` });
    for (const secret of ['pa55word', 'hook:', 'services', 'SECRET', 'token', 'abc123']) expect(result.detail).not.toContain(secret);
    expect(delays).toEqual([200, 400]);
  });

  it('times out on a receiver that never answers', async () => {
    const silent = createServer(() => {});
    server = silent;
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const result = await postWebhook(trigger, { url: `http://127.0.0.1:${port}${SECRET_PATH}`, timeoutMs: 200 }, { post, sleep });
    silent.closeAllConnections();
    expect(result).toEqual({ channel: 'webhook', ok: false, detail: `webhook http://127.0.0.1:${port}: timeout after 200 ms` });
  });

  it.each([
    ['not a URL', 'hooks.slack.com/services/T000/B000/XXXX', 'webhook: invalid URL (expected http://host[:port]/path or https://…)'],
    ['another scheme', 'ftp://user:pw@example.com/secret', 'webhook: unsupported scheme ftp (expected http or https)'],
  ])('refuses %s without echoing it', async (_name, url, detail) => {
    expect(await postWebhook(trigger, { url, timeoutMs: 200 }, { post, sleep })).toEqual({ channel: 'webhook', ok: false, detail });
  });

  it('stops when aborted', async () => {
    const result = await postWebhook(trigger, { url: 'http://127.0.0.1:9/x', timeoutMs: 200, signal: AbortSignal.abort() }, { post, sleep });
    expect(result).toEqual({ channel: 'webhook', ok: false, detail: 'webhook http://127.0.0.1:9: aborted' });
  });
});
