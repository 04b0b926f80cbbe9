// The HTTP client against real loopback servers: the phases of a request, the warm-up before the clock,
// and the configured headers on redirects (two servers recording what they received; https with a
// certificate made by openssl at test time).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHealthServer, refusedUrl, type HealthServer } from '../../test/helpers/health-server.js';
import { nodeHttpGet, type HttpGetResult, type HttpTiming } from './http-client.js';
import { warmUpClient } from './http-warmup.js';

const base = { headers: {}, timeoutMs: 5000, maxBodyBytes: 4096 };
const http = nodeHttpGet();
let plain: HealthServer;
let other: HealthServer;
let tlsServer: HealthServer | null = null;
let cert = '';
let dir = '';

beforeAll(async () => {
  plain = await startHealthServer();
  other = await startHealthServer();
  if (spawnSync('openssl', ['version']).status !== 0) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-http-client-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  cert = fs.readFileSync(certFile, 'utf8');
  tlsServer = await startHealthServer({ tls: { key: fs.readFileSync(keyFile), cert } });
});
afterAll(async () => {
  await Promise.all([plain.close(), other.close(), tlsServer?.close()]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function timingOf(result: HttpGetResult): HttpTiming {
  return result.timing;
}

// dns ≤ connect ≤ tls ≤ first byte ≤ total, each of the names given present.
function expectOrdered(t: HttpTiming, names: (keyof HttpTiming)[]): void {
  const values = names.map((name) => t[name]);
  for (const v of values) expect(v).toBeTypeOf('number');
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
  expect(values[0]).toBeGreaterThanOrEqual(0);
}

describe('the phases of a request', () => {
  it('http to 127.0.0.1: dns ≤ connect ≤ first byte ≤ total, no tls', async () => {
    plain.setMode({ kind: 'healthy' });
    const result = await http({ ...base, url: plain.url });
    expect(result.kind).toBe('response');
    expectOrdered(timingOf(result), ['dnsMs', 'connectMs', 'firstByteMs', 'totalMs']);
    expect(result.timing.tlsMs).toBeUndefined();
  });

  it('http to localhost: the name lookup is timed too', async () => {
    plain.setMode({ kind: 'healthy' });
    const result = await http({ ...base, url: plain.url.replace('127.0.0.1', 'localhost') });
    expect(result.kind).toBe('response');
    expectOrdered(timingOf(result), ['dnsMs', 'connectMs', 'firstByteMs', 'totalMs']);
  });

  it('https: the TLS handshake ends between connect and the first byte', async (ctx) => {
    if (!tlsServer) return ctx.skip();
    const result = await http({ ...base, url: tlsServer.url, ca: cert });
    expect(result.kind).toBe('response');
    expectOrdered(timingOf(result), ['dnsMs', 'connectMs', 'tlsMs', 'firstByteMs', 'totalMs']);
  });

  it('a first byte the server delays by D ms (as the server measured D): first_byte ≥ D', async () => {
    plain.setMode({ kind: 'healthy', delayMs: 150 });
    const result = await http({ ...base, url: plain.url });
    const seen = plain.received.at(-1);
    const delayMs = (seen?.answeredMs ?? Number.NaN) - (seen?.arrivedMs ?? Number.NaN);
    expect(delayMs).toBeGreaterThan(0);
    expect(result.timing.firstByteMs).toBeGreaterThanOrEqual(delayMs);
    expectOrdered(timingOf(result), ['connectMs', 'firstByteMs', 'totalMs']);
  });

  it('a timeout keeps the time until the failure and the phases reached (connected, no byte)', async () => {
    plain.setMode({ kind: 'hang' });
    const result = await http({ ...base, url: plain.url, timeoutMs: 300 });
    expect(result).toMatchObject({ kind: 'error', detail: 'timeout after 300 ms' });
    expect(result.timing.totalMs).toBeGreaterThanOrEqual(295);
    expectOrdered(timingOf(result), ['dnsMs', 'connectMs', 'totalMs']);
    expect(result.timing.firstByteMs).toBeUndefined();
  });

  it('a refused connection has a total but no connect', async () => {
    const result = await http({ ...base, url: await refusedUrl() });
    expect(result).toMatchObject({ kind: 'error', detail: 'connection refused' });
    expect(result.timing.totalMs).toBeGreaterThan(0);
    expect(result.timing.connectMs).toBeUndefined();
  });
});

describe('the warm-up before the clock', () => {
  it('the clock starts after the warm-up: a slow warm-up is not in the latency', async () => {
    plain.setMode({ kind: 'healthy' });
    let warmedAt = Number.NaN;
    const slowWarmUp = async (target: URL): Promise<void> => {
      await new Promise((r) => setTimeout(r, 200));
      await warmUpClient(target);
      warmedAt = performance.now();
    };
    const result = await nodeHttpGet({ warmUp: slowWarmUp })({ ...base, url: plain.url });
    const returnedAt = performance.now();
    expect(result.kind).toBe('response');
    // The request arrived after the warm-up ended, and the timed span fits between the two.
    expect(plain.received.at(-1)?.arrivedMs).toBeGreaterThanOrEqual(warmedAt);
    expect(result.timing.totalMs).toBeLessThanOrEqual(returnedAt - warmedAt);
  });

  it('every request is warmed up for its own target, the first and the later ones', async () => {
    plain.setMode({ kind: 'healthy' });
    const warmed: string[] = [];
    const get = nodeHttpGet({ warmUp: async (target) => void warmed.push(target.href) });
    for (let i = 0; i < 3; i++) await get({ ...base, url: plain.url });
    expect(warmed).toEqual([plain.url, plain.url, plain.url]);
  });

  it('with warmForMs, a request soon after an answered one of its kind skips the warm-up; a pause, a failure or another kind warms again', async () => {
    plain.setMode({ kind: 'healthy' });
    const warmed: string[] = [];
    let now = 0;
    const get = nodeHttpGet({ warmUp: async (target) => void warmed.push(target.href), warmForMs: 10_000, nowMs: () => now });
    const byName = plain.url.replace('127.0.0.1', 'localhost');
    const refused = await refusedUrl();
    const steps: Array<[atMs: number, url: string, warmedUp: boolean]> = [
      [0, plain.url, true], // the first request of the client
      [1_000, plain.url, false],
      [10_999, plain.url, false], // 9,999 ms after the previous answer
      [21_000, plain.url, true], // a pause of 10 s
      [21_500, byName, true], // a name to look up is another kind
      [22_000, refused, false],
      [40_000, refused, true], // failures never made the client warm
      [40_100, refused, true],
    ];
    for (const [atMs, url, warmedUp] of steps) {
      now = atMs;
      const before = warmed.length;
      const result = await get({ ...base, url });
      expect({ atMs, url, warmedUp: warmed.length > before, kind: result.kind }).toEqual({ atMs, url, warmedUp, kind: url === refused ? 'error' : 'response' });
    }
  });

  it('makes a real round trip on 127.0.0.1: http, and https with its own certificate', async () => {
    expect(await warmUpClient(new URL('http://192.0.2.1/health'))).toBe(true);
    expect(await warmUpClient(new URL('https://service.example/health'))).toBe(true);
  });

  it('a signal aborted while the request waits for its answer ends it as aborted, long before its timeout', async () => {
    plain.setMode({ kind: 'hang' });
    const stop = new AbortController();
    const pending = http({ ...base, url: plain.url, timeoutMs: 60_000, signal: stop.signal });
    // Abort once the server has the request (a request in flight, not one still being made).
    const sent = plain.received.length;
    for (let i = 0; i < 500 && plain.received.length === sent; i++) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    const result = await pending;
    expect(result).toMatchObject({ kind: 'error', detail: 'aborted' });
    expect(result.timing.totalMs).toBeLessThan(60_000);
    plain.setMode({ kind: 'healthy' });
  });

  it('a finished request leaves no listener on the caller\'s signal (a daemon\'s long-lived signal gathers none)', async () => {
    plain.setMode({ kind: 'healthy' });
    const { EventEmitter } = await import('node:events');
    const stop = new AbortController();
    for (let i = 0; i < 3; i++) expect((await http({ ...base, url: plain.url, signal: stop.signal })).kind).toBe('response');
    plain.setMode({ kind: 'hang' });
    expect(await http({ ...base, url: plain.url, timeoutMs: 200, signal: stop.signal })).toMatchObject({ kind: 'error', detail: 'timeout after 200 ms' });
    expect(EventEmitter.getEventListeners(stop.signal, 'abort')).toHaveLength(0);
    plain.setMode({ kind: 'healthy' });
  });

  it('gives up at once on an aborted signal; the request then fails as aborted', async () => {
    expect(await warmUpClient(new URL(plain.url), AbortSignal.abort())).toBe(false);
    const result = await http({ ...base, url: plain.url, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ kind: 'error', detail: 'aborted' });
  });
});

describe('configured headers on redirects: sent to the configured origin only', () => {
  const headers = { 'X-Api-Key': 'k-s3cret', Authorization: 'Bearer s3cret', Cookie: 'sid=s3cret', 'User-Agent': 'custom-agent' };

  function expectNoSecrets(server: HealthServer): void {
    const seen = server.received.at(-1)?.headers ?? {};
    expect(seen['user-agent']).toBe('anomaly-guard');
    for (const name of ['x-api-key', 'authorization', 'cookie']) expect(seen).not.toHaveProperty(name);
  }

  it('a redirect on the same origin keeps them', async () => {
    plain.setMode({ kind: 'redirect', location: '/ok' });
    const result = await http({ ...base, url: plain.url, headers });
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(plain.received.at(-1)).toMatchObject({ path: '/ok', headers: { 'x-api-key': 'k-s3cret', authorization: 'Bearer s3cret', cookie: 'sid=s3cret', 'user-agent': 'custom-agent' } });
  });

  it('another port on the same host gets none of them (nor the URL credentials)', async () => {
    plain.setMode({ kind: 'redirect', location: other.url.replace('/health', '/ok') });
    const before = other.requests;
    const result = await http({ ...base, url: plain.url.replace('http://', 'http://user:pw@'), headers });
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(other.requests).toBe(before + 1);
    expectNoSecrets(other);
  });

  it('back on the configured origin after a detour, they are sent again', async () => {
    other.setMode({ kind: 'redirect', location: plain.url.replace('/health', '/ok') });
    plain.setMode({ kind: 'redirect', location: other.url });
    const result = await http({ ...base, url: plain.url, headers });
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expectNoSecrets(other);
    expect(plain.received.at(-1)).toMatchObject({ path: '/ok', headers: { 'x-api-key': 'k-s3cret' } });
    other.setMode({ kind: 'healthy' });
  });

  it('https → http on another port: followed, without them (never in clear)', async (ctx) => {
    if (!tlsServer) return ctx.skip();
    tlsServer.setMode({ kind: 'redirect', location: other.url.replace('/health', '/ok') });
    const result = await http({ ...base, url: tlsServer.url, headers, ca: cert });
    expect(result).toMatchObject({ kind: 'response', status: 200, url: other.url.replace('/health', '/ok') });
    expect(tlsServer.received.at(-1)?.headers).toMatchObject({ 'x-api-key': 'k-s3cret' });
    expectNoSecrets(other);
  });

  it('https → https on another port gets none of them', async (ctx) => {
    if (!tlsServer) return ctx.skip();
    const second = await startHealthServer({ tls: { key: fs.readFileSync(path.join(dir, 'key.pem')), cert } });
    try {
      tlsServer.setMode({ kind: 'redirect', location: second.url });
      const result = await http({ ...base, url: tlsServer.url, headers, ca: cert });
      expect(result).toMatchObject({ kind: 'response', status: 200 });
      expectNoSecrets(second);
    } finally {
      await second.close();
    }
  });
});
