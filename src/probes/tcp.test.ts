// tcp:// and tls:// probes against real servers on 127.0.0.1 (and https for the certificate and address
// an http probe now reports): what is healthy, and each failure's exact detail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCondition } from '../core/conditions/parse.js';
import type { Condition } from '../core/conditions/types.js';
import { systemClock } from '../effects/clock.js';
import { nodeHttpGet } from '../effects/http-client.js';
import { nodeTcpConnect } from '../effects/tcp-client.js';
import { certFor127 } from '../../test/helpers/certs.js';
import { refusedUrl, startHealthServer, type HealthServer } from '../../test/helpers/health-server.js';
import { startTcpServer, type TcpMode, type TcpServer } from '../../test/helpers/tcp-server.js';
import { probeService, type ServiceProbeOptions } from './probe.js';

const DAY = 86_400_000;
const deps = { http: nodeHttpGet(), tcp: nodeTcpConnect(), clock: systemClock() };

function conditions(...texts: string[]): Condition[] {
  return texts.map((t) => {
    const r = parseCondition(t);
    if (!r.ok) throw new Error(r.error.message);
    return r.condition;
  });
}

function probe(url: string, over: Partial<ServiceProbeOptions> = {}, clock = deps.clock) {
  const opts: ServiceProbeOptions = { url, headers: {}, timeoutMs: 2000, expectStatus: 'Healthy', conditions: [], send: '', expect: '', ...over };
  return probeService(opts, { ...deps, clock });
}

describe('tcp:// probes', () => {
  let server: TcpServer;
  beforeAll(async () => {
    server = await startTcpServer({ kind: 'silent' });
  });
  afterAll(() => server.close());

  const pong: TcpMode = { kind: 'reply', when: 'PING\r\n', text: '+PONG\r\n' };
  const noauth: TcpMode = { kind: 'reply', when: 'PING\r\n', text: '-NOAUTH Authentication required.\r\n' };
  const scenarios: { name: string; mode: TcpMode; over?: Partial<ServiceProbeOptions>; detail: string | null }[] = [
    { name: 'a listener that waits for the client (PostgreSQL): connected is healthy', mode: { kind: 'silent' }, detail: null },
    { name: 'PING answered +PONG', mode: pong, over: { send: 'PING\r\n', expect: '+PONG' }, detail: null },
    {
      name: 'PING answered with an error, until the timeout',
      mode: noauth,
      over: { send: 'PING\r\n', expect: '+PONG', timeoutMs: 300 },
      detail: 'timeout after 300 ms waiting for "+PONG" (got "-NOAUTH Authentication required.\\r\\n")',
    },
    { name: 'nothing said in time', mode: { kind: 'silent' }, over: { expect: '+PONG', timeoutMs: 300 }, detail: 'timeout after 300 ms waiting for "+PONG" (nothing received)' },
    { name: 'closed before the expected text', mode: { kind: 'close' }, over: { send: 'PING\r\n', expect: '+PONG' }, detail: 'expected "+PONG", the peer closed the connection (nothing received)' },
    { name: 'a greeting matched by a condition', mode: { kind: 'banner', text: '220 mail ESMTP\r\n' }, over: { conditions: conditions('[BODY] == pat(220 *)') }, detail: null },
    {
      name: 'a greeting that does not match',
      mode: { kind: 'banner', text: 'SSH-2.0-OpenSSH_9.2\r\n' },
      over: { conditions: conditions('[BODY] == pat(220 *)') },
      detail: '[BODY] (SSH-2.0-OpenSSH_9.2) == pat(220 *)',
    },
    { name: 'the address it connected to', mode: { kind: 'silent' }, over: { conditions: conditions('[IP] == 127.0.0.1', '[CONNECTED] == true') }, detail: null },
  ];
  it.each(scenarios)('$name', async ({ mode, over, detail }) => {
    server.setMode(mode);
    const before = server.connections;
    const result = await probe(server.url, over);
    expect(result).toMatchObject({ ok: detail === null, httpStatus: null, detail });
    expect(server.connections).toBe(before + 1);
    if (over?.send && mode.kind !== 'close') expect(server.received.at(-1)).toBe(over.send);
  });

  it('waits no longer than the timeout for a reply', async () => {
    server.setMode({ kind: 'silent' });
    const result = await probe(server.url, { expect: 'x', timeoutMs: 300 });
    expect(result.latencyMs).toBeGreaterThanOrEqual(295);
  });

  it('a refused connection', async () => {
    const url = (await refusedUrl()).replace('http://', 'tcp://').replace('/health', '');
    expect(await probe(url)).toMatchObject({ ok: false, httpStatus: null, detail: 'connection refused' });
  });

  it('stops at once when the cycle is aborted', async () => {
    server.setMode({ kind: 'silent' });
    const controller = new AbortController();
    const pending = probe(server.url, { expect: 'never', timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ ok: false, detail: 'aborted' });
  });
});

describe('tls:// and https:// probes: the certificate', () => {
  let dir: string;
  let made: NonNullable<ReturnType<typeof certFor127>> | null = null;
  let tlsServer: TcpServer | null = null;
  let httpsServer: HealthServer | null = null;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ag-tls-'));
    made = certFor127(dir, 30);
    if (made === null) return;
    tlsServer = await startTcpServer({ kind: 'silent' }, { tls: made });
    httpsServer = await startHealthServer({ tls: made });
  });
  afterAll(async () => {
    await tlsServer?.close();
    await httpsServer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tls://: a certificate it cannot verify is a clear TLS error', async (ctx) => {
    if (!tlsServer) return ctx.skip();
    expect(await probe(tlsServer.url)).toMatchObject({ ok: false, detail: 'TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' });
  });

  it('tls:// and https://: the time left on the certificate, from its notAfter', async (ctx) => {
    if (!tlsServer || !httpsServer || !made) return ctx.skip();
    // A wall clock 3 days 5 hours before the certificate's end: the reason shows exactly that.
    const now = made.notAfterMs - 3 * DAY - 5 * 3_600_000;
    const clock = { ...deps.clock, nowMs: () => now };
    const over = { ca: made.cert, conditions: conditions('[CERTIFICATE_EXPIRATION] > 7d', '[IP] == 127.0.0.1') };
    const detail = '[CERTIFICATE_EXPIRATION] (3d5h) > 7d';
    expect(await probe(tlsServer.url, over, clock)).toMatchObject({ ok: false, detail });
    expect(await probe(httpsServer.url, { ...over, conditions: [...over.conditions, ...conditions('[STATUS] == 200')] }, clock)).toMatchObject({ ok: false, httpStatus: 200, detail });
    expect(await probe(tlsServer.url, { ...over, conditions: conditions('[CERTIFICATE_EXPIRATION] > 29d') })).toMatchObject({ ok: true });
  });

  it('tls:// to a port that speaks plain text', async () => {
    const plain = await startTcpServer({ kind: 'banner', text: 'HTTP/1.1 400 Bad Request\r\n\r\n' });
    try {
      const result = await probe(plain.url.replace('tcp://', 'tls://'));
      expect(result.ok).toBe(false);
      expect(result.detail).toMatch(/^TLS error: /);
    } finally {
      await plain.close();
    }
  });
});
