// The latency `check` logs is the request's own time (issue 11): its phases through the real CLI,
// present and ordered, a first byte the server delays counted, and every probe of a process (the first
// one too, and the verification after a heal) made after its own warm-up. How close that is to curl is
// measured by `npm run bench:latency` (bench/README.md), not asserted here: on a loaded machine, one
// loopback request's time is mostly the scheduler's.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedCert } from '../faults/fault-helpers.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer, sharedHealthServer } from '../helpers/health-server.js';

type Lat = { latency_ms: number; ok: boolean; dns_ms?: number; connect_ms?: number; tls_ms?: number; first_byte_ms?: number };

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

async function checkLat(url: string, config: Record<string, unknown> = {}): Promise<Lat> {
  env = guardEnv(url);
  env.writeConfig(config);
  const run = await env.run(['check', '--json']);
  expect(run.stderr).toBe('');
  const [check] = env.records();
  return (check as { lat: Lat }).lat;
}

function expectOrdered(lat: Lat, names: (keyof Lat)[]): void {
  const values = names.map((name) => lat[name]);
  for (const v of values) expect(v).toBeTypeOf('number');
  for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] as number);
}

describe('check logs the phases of its request', () => {
  it('dns_ms ≤ connect_ms ≤ first_byte_ms ≤ latency_ms, no tls_ms over http', async () => {
    const lat = await checkLat(server.url);
    expect(lat.ok).toBe(true);
    expectOrdered(lat, ['dns_ms', 'connect_ms', 'first_byte_ms', 'latency_ms']);
    expect(lat).not.toHaveProperty('tls_ms');
  });

  it('a first byte the server delays by D ms (D measured by the server): first_byte_ms ≥ D', async () => {
    server.setMode({ kind: 'healthy', delayMs: 250 });
    const lat = await checkLat(server.url);
    const seen = server.received.at(-1);
    const delayMs = (seen?.answeredMs ?? Number.NaN) - (seen?.arrivedMs ?? Number.NaN);
    expect(delayMs).toBeGreaterThan(0);
    // Both processes time on the system's monotonic clock; the log rounds to 0.001 ms.
    expect(lat.first_byte_ms).toBeGreaterThanOrEqual(delayMs - 0.0005);
    expectOrdered(lat, ['connect_ms', 'first_byte_ms', 'latency_ms']);
  });

  describe('https', () => {
    let dir = '';
    let tls: HealthServer | null = null;
    let certFile = '';
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'ag-latency-tls-'));
      const made = selfSignedCert(dir);
      if (made === null) return;
      certFile = made.certFile;
      tls = await startHealthServer({ tls: { key: made.key, cert: made.cert } });
    });
    afterAll(async () => {
      await tls?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('tls_ms falls between connect_ms and first_byte_ms', async (ctx) => {
      if (tls === null) return ctx.skip();
      env = guardEnv(tls.url);
      copyFileSync(certFile, join(env.dir, 'ca.pem'));
      env.writeConfig({ health: { ca_file: 'ca.pem' } });
      const run = await env.run(['check', '--json']);
      expect(run.code).toBe(0);
      const lat = (env.records()[0] as { lat: Lat }).lat;
      expectOrdered(lat, ['dns_ms', 'connect_ms', 'tls_ms', 'first_byte_ms', 'latency_ms']);
    });
  });
});

// Node's own debug log of its sockets (NODE_DEBUG=net) shows what the process connected to, in order.
function connectsOf(stderr: string): number[] {
  return [...stderr.matchAll(/connect: attempting to connect to 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
}

describe('every probe of a process is warmed up first, the first one too', () => {
  let flipping: Server;
  let port = 0;
  let answered = 0;
  beforeAll(async () => {
    // Unhealthy once, then healthy: a check heals and verifies, so its process makes two probes.
    flipping = createServer((_req, res) => {
      answered += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: answered === 1 ? 'Degraded' : 'Healthy' }));
    });
    await new Promise<void>((resolve) => flipping.listen(0, '127.0.0.1', resolve));
    port = (flipping.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => flipping.close(() => resolve())));

  it('check: before each probe (the first, and the verification after a heal) a throwaway server on 127.0.0.1 is requested', async () => {
    env = guardEnv(`http://127.0.0.1:${port}/health`);
    env.writeConfig({ heal: { command: [process.execPath, '-e', '0'], verify_after: '10ms' } });
    const run = await env.run(['check', '--json'], { env: { NODE_DEBUG: 'net' } });
    expect(run.code).toBe(2);
    expect(env.records().find((r) => r.event === 'heal_verify')).toMatchObject({ recovered: true });
    const connects = connectsOf(run.stderr);
    const probes = connects.flatMap((p, i) => (p === port ? [i] : []));
    expect(probes.length).toBe(2);
    for (const i of probes) {
      // The connection just before each probe's is to another port of this machine: the warm-up's.
      expect(i).toBeGreaterThan(0);
      expect(connects[i - 1]).not.toBe(port);
    }
    expect(run.stderr.match(/setupListenHandle 127\.0\.0\.1 0 /g)?.length).toBe(2);
  });
});
