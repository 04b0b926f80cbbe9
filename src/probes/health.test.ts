import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeHttpGet } from '../effects/http-client.js';
import type { HttpGetRequest } from '../effects/http-client.js';
import { refusedUrl, startHealthServer } from '../../test/helpers/health-server.js';
import type { HealthMode, HealthServer } from '../../test/helpers/health-server.js';
import { MAX_BODY_BYTES, probeHealth } from './health.js';
import type { HealthProbeOptions } from './health.js';

const http = nodeHttpGet();
let server: HealthServer;

beforeAll(async () => {
  server = await startHealthServer();
});
afterAll(() => server.close());

function probe(over: Partial<HealthProbeOptions> = {}) {
  const opts = { url: server.url, headers: {}, timeoutMs: 1000, expectStatus: 'Healthy', ...over };
  return probeHealth(opts, { http, clock: { nowMs: () => Date.now() } });
}

interface Scenario {
  name: string;
  mode: HealthMode;
  timeoutMs?: number;
  ok?: boolean;
  httpStatus: number | null;
  detail: string | null;
  latency?: [min: number, max: number];
}

// {"status":[[[…]]]} with `depth` brackets: what overflowed JSON.stringify's stack (issue 14).
function nested(depth: number): string {
  return `{"status":${'['.repeat(depth)}${']'.repeat(depth)}}`;
}
const DEEPEST = (MAX_BODY_BYTES - '{"status":}'.length) / 2 - 1;

const scenarios: Scenario[] = [
  { name: 'healthy', mode: { kind: 'healthy' }, ok: true, httpStatus: 200, detail: null },
  { name: 'degraded', mode: { kind: 'status', status: 'Degraded' }, httpStatus: 200, detail: 'status=Degraded' },
  { name: 'status is case-sensitive', mode: { kind: 'status', status: 'healthy' }, httpStatus: 200, detail: 'status=healthy' },
  { name: 'HTTP 503 with what its body says', mode: { kind: 'http', code: 503, body: 'down' }, httpStatus: 503, detail: 'HTTP 503: down' },
  { name: 'HTTP 503 with an empty body', mode: { kind: 'http', code: 503 }, httpStatus: 503, detail: 'HTTP 503' },
  { name: 'HTTP 304 is not 2xx', mode: { kind: 'http', code: 304 }, httpStatus: 304, detail: 'HTTP 304' },
  { name: 'garbage body', mode: { kind: 'body', body: '<html>oops' }, httpStatus: 200, detail: 'body is not JSON' },
  { name: 'empty 204', mode: { kind: 'http', code: 204 }, httpStatus: 204, detail: 'empty body (expected JSON with a status field)' },
  { name: 'empty 200', mode: { kind: 'body', body: '' }, httpStatus: 200, detail: 'empty body (expected JSON with a status field)' },
  { name: 'JSON without status', mode: { kind: 'body', body: '{"ok":true}' }, httpStatus: 200, detail: 'no status field in body' },
  { name: 'JSON that is not an object', mode: { kind: 'body', body: '["Healthy"]' }, httpStatus: 200, detail: 'no status field in body' },
  { name: 'status of wrong type', mode: { kind: 'status', status: 42 }, httpStatus: 200, detail: 'status is not a string: 42' },
  {
    name: 'status of wrong type, long JSON cut to 40',
    mode: { kind: 'status', status: { nested: 'x'.repeat(100) } },
    httpStatus: 200,
    detail: `status is not a string: {"nested":"${'x'.repeat(28)}…`,
  },
  {
    name: 'hostile status cannot inject lines',
    mode: { kind: 'status', status: 'Bad\r\n{"ts":"forged"}\u2028' },
    httpStatus: 200,
    detail: 'status=Bad??{"ts":"forged"}?',
  },
  { name: 'status nested 5,000 levels deep (10 KB)', mode: { kind: 'body', body: nested(5000) }, httpStatus: 200, detail: `status is not a string: ${'['.repeat(39)}…` },
  {
    name: 'status nested 524,282 levels deep (1 MiB, the body cap)',
    mode: { kind: 'body', body: nested(DEEPEST) },
    httpStatus: 200,
    detail: `status is not a string: ${'['.repeat(39)}…`,
  },
  { name: 'long status cut to 60', mode: { kind: 'status', status: 'y'.repeat(500) }, httpStatus: 200, detail: `status=${'y'.repeat(59)}…` },
  { name: 'slow but in time', mode: { kind: 'healthy', delayMs: 150 }, ok: true, httpStatus: 200, detail: null, latency: [150, 1000] },
  { name: 'hang', mode: { kind: 'hang' }, timeoutMs: 300, httpStatus: null, detail: 'timeout after 300 ms', latency: [295, 2000] },
  { name: 'drip', mode: { kind: 'drip' }, timeoutMs: 300, httpStatus: null, detail: 'timeout after 300 ms', latency: [295, 2000] },
  { name: 'close mid-body', mode: { kind: 'close-mid-body' }, httpStatus: null, detail: 'connection closed before the response completed' },
  {
    name: '10 MB body is capped',
    mode: { kind: 'body', body: Buffer.alloc(10 * 1024 * 1024, 0x20) },
    httpStatus: null,
    detail: `body larger than ${MAX_BODY_BYTES} bytes`,
  },
  {
    name: '10 MB chunked body is capped while reading',
    mode: { kind: 'body', body: Buffer.alloc(10 * 1024 * 1024, 0x20), chunked: true },
    httpStatus: null,
    detail: `body larger than ${MAX_BODY_BYTES} bytes`,
  },
  { name: 'redirect loop', mode: { kind: 'redirect-loop' }, httpStatus: null, detail: 'too many redirects (5)' },
  { name: 'redirect to a healthy path', mode: { kind: 'redirect', location: '/ok' }, ok: true, httpStatus: 200, detail: null },
];

describe('probeHealth against a real server', () => {
  it.each(scenarios)('$name', async (s) => {
    server.setMode(s.mode);
    const result = await probe({ timeoutMs: s.timeoutMs ?? 1000 });
    expect(result).toMatchObject({ ok: s.ok ?? false, httpStatus: s.httpStatus, detail: s.detail });
    const [min, max] = s.latency ?? [0, 1000];
    expect(result.latencyMs).toBeGreaterThan(0);
    expect(result.latencyMs).toBeGreaterThanOrEqual(min);
    expect(result.latencyMs).toBeLessThan(max);
  });

  it('follows 5 redirects at most (6 requests)', async () => {
    server.setMode({ kind: 'redirect-loop' });
    const before = server.requests;
    await probe();
    expect(server.requests - before).toBe(6);
  });

  it('connection refused', async () => {
    const result = await probe({ url: await refusedUrl() });
    expect(result).toMatchObject({ ok: false, httpStatus: null, detail: 'connection refused' });
    expect(result.latencyMs).toBeGreaterThan(0);
  });

  it('unresolvable host fails locally', async () => {
    const result = await probe({ url: 'http://no-such-host.invalid/health', timeoutMs: 10_000 });
    expect(result).toMatchObject({ ok: false, detail: 'host not found: no-such-host.invalid' });
  });

  it('aborts via the signal', async () => {
    server.setMode({ kind: 'hang' });
    const result = await probe({ signal: AbortSignal.timeout(50), timeoutMs: 5000 });
    expect(result).toMatchObject({ ok: false, detail: 'aborted' });
    expect(result.latencyMs).toBeLessThan(2000);
    const early = await probe({ signal: AbortSignal.abort() });
    expect(early.detail).toBe('aborted');
  });

  it('sends the configured headers', async () => {
    server.setMode({ kind: 'healthy' });
    await probe({ headers: { 'X-Probe-Token': 'abc', Authorization: 'Bearer s3cret' } });
    const seen = server.received.at(-1)?.headers;
    expect(seen).toMatchObject({ 'x-probe-token': 'abc', authorization: 'Bearer s3cret', connection: 'close' });
  });

  it("takes the latency and phases from the client's timing, unrounded", async () => {
    const seen: HttpGetRequest[] = [];
    const timing = { totalMs: 42.125, dnsMs: 0.25, connectMs: 1.5, firstByteMs: 40.0625 };
    const fakeHttp = async (req: HttpGetRequest) => {
      seen.push(req);
      return { kind: 'response' as const, status: 200, body: Buffer.from('{"status":"Up"}'), url: req.url, timing };
    };
    const opts = { url: 'http://x/health', headers: {}, timeoutMs: 5, expectStatus: 'Up' };
    const result = await probeHealth(opts, { http: fakeHttp, clock: { nowMs: () => 0 } });
    expect(result).toEqual({ ok: true, latencyMs: 42.125, phases: { dnsMs: 0.25, connectMs: 1.5, firstByteMs: 40.0625 }, httpStatus: 200, detail: null });
    expect(seen[0]).toMatchObject({ timeoutMs: 5, maxBodyBytes: MAX_BODY_BYTES });
  });
});

describe('nodeHttpGet', () => {
  const base = { headers: {}, timeoutMs: 1000, maxBodyBytes: 1024 };

  it('reports the final URL after a relative redirect', async () => {
    server.setMode({ kind: 'redirect', location: '/ok' });
    const result = await http({ ...base, url: server.url });
    expect(result).toMatchObject({ kind: 'response', status: 200, url: server.url.replace('/health', '/ok') });
  });

  it('does not forward any configured header to another origin on a redirect', async () => {
    const other = await startHealthServer();
    try {
      server.setMode({ kind: 'redirect', location: other.url.replace('/health', '/ok') });
      const headers = { Authorization: 'Bearer s3cret', 'X-Trace': 't1' };
      const result = await http({ ...base, url: server.url, headers });
      expect(result).toMatchObject({ kind: 'response', status: 200 });
      expect(server.received.at(-1)?.headers).toMatchObject({ authorization: 'Bearer s3cret', 'x-trace': 't1' });
      expect(other.received[0]?.headers).toMatchObject({ 'user-agent': 'anomaly-guard' });
      expect(other.received[0]?.headers).not.toHaveProperty('x-trace');
      expect(other.received[0]?.headers).not.toHaveProperty('authorization');
    } finally {
      await other.close();
    }
  });

  it('never puts header values or URL credentials in a detail', async () => {
    const secretHeaders = { Authorization: 'Bearer s3cret' };
    const withCreds = (url: string) => url.replace('http://', 'http://user:pw@');
    server.setMode({ kind: 'hang' });
    const requests: HttpGetRequest[] = [
      { ...base, headers: secretHeaders, url: withCreds(await refusedUrl()) },
      { ...base, headers: secretHeaders, url: 'http://user:pw@no-such-host.invalid/', timeoutMs: 10_000 },
      { ...base, headers: secretHeaders, url: withCreds(server.url), timeoutMs: 100 },
      { ...base, headers: { 'X-Token': 's3cret\r\nInjected: 1' }, url: withCreds(server.url) },
      { ...base, headers: { 'Bad Name s3cret': 'x' }, url: withCreds(server.url) },
      { ...base, headers: secretHeaders, url: 'ftp://user:pw@127.0.0.1/' },
    ];
    for (const req of requests) {
      const result = await http(req);
      expect(result.kind).toBe('error');
      const detail = result.kind === 'error' ? result.detail : '';
      for (const secret of ['s3cret', 'user:pw', 'pw@', 'user@']) expect(detail).not.toContain(secret);
    }
    server.setMode({ kind: 'healthy' });
    const ok = await http({ ...base, headers: secretHeaders, url: withCreds(server.url) });
    expect(ok.kind === 'response' && ok.url).toBe(server.url);
  });
});

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const tlsIt = hasOpenssl ? it : it.skip;
const tlsNote = hasOpenssl ? '' : ' [skipped: openssl not found on PATH]';

describe('TLS', () => {
  let dir = '';
  let tlsServer: HealthServer | undefined;
  let cert = '';

  beforeAll(async () => {
    if (!hasOpenssl) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anomaly-guard-tls-'));
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
    await tlsServer?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  tlsIt(`a self-signed certificate fails, and passes with it as ca${tlsNote}`, async () => {
    const url = tlsServer?.url ?? '';
    const bad = await probe({ url });
    expect(bad).toMatchObject({ ok: false, httpStatus: null, detail: 'TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' });
    expect(await probe({ url, ca: cert })).toMatchObject({ ok: true, httpStatus: 200, detail: null });
  });

  it('https to a plain-HTTP port is a TLS error', async () => {
    const result = await probe({ url: server.url.replace('http://', 'https://') });
    expect(result.detail).toMatch(/^TLS error: wrong version number .*\((EPROTO|ERR_SSL_WRONG_VERSION_NUMBER)\)$/);
  });
});
