// Faults of the health endpoint through the real `check` command: every way a service can fail to
// answer well ends in exactly one check record, one anomaly_trigger with the contract's reason and
// exit 2, on time; TLS with a self-signed certificate fails clearly and passes with health.ca_file.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { refusedUrl, startHealthServer, type HealthMode, type HealthServer, sharedHealthServer } from '../helpers/health-server.js';
import { eventOf, selfSignedCert, strictRecords, type Rec } from './fault-helpers.js';

const TIMEOUT_MS = 400;
const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

interface Scenario {
  name: string;
  mode: HealthMode | 'refused' | 'unresolvable';
  detail: string;
  httpStatus: number | null;
  /** Bounds of lat.latency_ms, when the failure must come on time. */
  latency?: [number, number];
}

const TEN_MB = Buffer.alloc(10 * 1024 * 1024, 0x20);
const scenarios: Scenario[] = [
  { name: 'never answers', mode: { kind: 'hang' }, detail: `timeout after ${TIMEOUT_MS} ms`, httpStatus: null, latency: [TIMEOUT_MS - 5, TIMEOUT_MS + 400] },
  { name: 'one byte per second (slowloris): times out on time', mode: { kind: 'drip' }, detail: `timeout after ${TIMEOUT_MS} ms`, httpStatus: null, latency: [TIMEOUT_MS - 5, TIMEOUT_MS + 400] },
  { name: 'closes mid-body', mode: { kind: 'close-mid-body' }, detail: 'connection closed before the response completed', httpStatus: null },
  { name: 'a 10 MB body (Content-Length)', mode: { kind: 'body', body: TEN_MB }, detail: 'body larger than 1048576 bytes', httpStatus: null },
  { name: 'a 10 MB body (chunked)', mode: { kind: 'body', body: TEN_MB, chunked: true }, detail: 'body larger than 1048576 bytes', httpStatus: null },
  { name: 'not JSON', mode: { kind: 'body', body: '<html>it works</html>', contentType: 'text/html' }, detail: 'body is not JSON', httpStatus: 200 },
  { name: 'JSON without status', mode: { kind: 'body', body: '{"healthy":true}' }, detail: 'no status field in body', httpStatus: 200 },
  { name: 'status of the wrong type', mode: { kind: 'status', status: true }, detail: 'status is not a string: true', httpStatus: 200 },
  // Was: exit 3 "Maximum call stack size exceeded", nothing logged, no heal (issue 14, finding 6).
  { name: 'status nested 5,000 levels deep (10 KB)', mode: { kind: 'body', body: `{"status":${'['.repeat(5000)}${']'.repeat(5000)}}` }, detail: `status is not a string: ${'['.repeat(39)}…`, httpStatus: 200 },
  { name: 'a 301 loop', mode: { kind: 'redirect', code: 301, location: '/health' }, detail: 'too many redirects (5)', httpStatus: null },
  { name: '204 No Content', mode: { kind: 'http', code: 204 }, detail: 'empty body (expected JSON with a status field)', httpStatus: 204 },
  { name: '304 Not Modified', mode: { kind: 'http', code: 304 }, detail: 'HTTP 304', httpStatus: 304 },
  { name: 'connection refused', mode: 'refused', detail: 'connection refused', httpStatus: null },
  { name: 'an unresolvable host name (.invalid)', mode: 'unresolvable', detail: 'host not found: health.invalid', httpStatus: null },
];

async function urlFor(mode: Scenario['mode']): Promise<string> {
  if (mode === 'refused') return refusedUrl();
  if (mode === 'unresolvable') return 'http://health.invalid:8080/health';
  server.setMode(mode);
  return server.url;
}

describe('check: a health endpoint that fails in every way', () => {
  it.each(scenarios)('$name → health_unhealthy ($detail), exit 2', async (s) => {
    env = guardEnv(await urlFor(s.mode));
    env.writeConfig({ health: { timeout: `${TIMEOUT_MS}ms` } });
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(2);
    const records = strictRecords(env.logFile);
    expect(records.map(eventOf)).toEqual(['check', 'anomaly_trigger', 'heal_suppressed']);
    const [check, trigger] = records as [Rec, Rec];
    const reason = `health_unhealthy (${s.detail})`;
    expect(check.lat).toMatchObject({ ok: false, http_status: s.httpStatus, error: s.detail });
    expect(check.reasons).toEqual([reason]);
    expect(trigger).toMatchObject({ reasons: [reason], latency: check.lat.latency_ms, score: null });
    const [min, max] = s.latency ?? [0, 3000];
    expect(check.lat.latency_ms).toBeGreaterThanOrEqual(min);
    expect(check.lat.latency_ms).toBeLessThan(max);
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(records);
  });
});

describe('check: an https endpoint with a self-signed certificate', () => {
  let dir = '';
  let tls: HealthServer | null = null;
  let certFile = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ag-fault-tls-'));
    const made = selfSignedCert(dir);
    if (made === null) return;
    certFile = made.certFile;
    tls = await startHealthServer({ tls: { key: made.key, cert: made.cert } });
  });
  afterAll(async () => {
    await tls?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails with a clear TLS reason without health.ca_file', async (ctx) => {
    if (tls === null) return ctx.skip();
    env = guardEnv(tls.url);
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(2);
    const [check] = strictRecords(env.logFile) as [Rec];
    expect(check.reasons).toEqual(['health_unhealthy (TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT))']);
  });

  // Was: only Authorization and Cookie were dropped; an X-Api-Key went in clear (issue 14, finding 8).
  it('an https → http redirect to another port is followed without any of health.headers (never in clear)', async (ctx) => {
    if (tls === null) return ctx.skip();
    tls.setMode({ kind: 'redirect', location: server.url.replace('/health', '/ok') });
    env = guardEnv(tls.url);
    copyFileSync(certFile, join(env.dir, 'ca.pem'));
    env.writeConfig({ health: { ca_file: 'ca.pem', headers: { 'X-Api-Key': 'k-s3cret', Authorization: 'Bearer s3cret' } } });
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(0);
    expect(tls.received.at(-1)?.headers).toMatchObject({ 'x-api-key': 'k-s3cret', authorization: 'Bearer s3cret' });
    const plain = server.received.at(-1);
    expect(plain?.path).toBe('/ok');
    expect(plain?.headers).not.toHaveProperty('x-api-key');
    expect(plain?.headers).not.toHaveProperty('authorization');
    expect(run.stdout + run.stderr).not.toContain('s3cret');
    tls.setMode({ kind: 'healthy' });
  });

  it('is ok with health.ca_file trusting that certificate (exit 0)', async (ctx) => {
    if (tls === null) return ctx.skip();
    env = guardEnv(tls.url);
    copyFileSync(certFile, join(env.dir, 'ca.pem'));
    env.writeConfig({ health: { ca_file: 'ca.pem' } });
    const run = await env.run(['check', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(strictRecords(env.logFile)).toEqual([expect.objectContaining({ lat: expect.objectContaining({ ok: true, http_status: 200 }) })]);
  });
});

