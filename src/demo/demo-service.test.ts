import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  injectFault,
  isAlive,
  readServiceState,
  requestJson,
  serviceFiles,
  startDemoService,
  stopDemoService,
  waitUntil,
} from './control.js';
import { createDemoService, sampleJitter } from './service.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Timed {
  status: number | null;
  body: unknown;
  ms: number;
}

// GET with a client timeout; status null when the request failed or timed out.
async function timedGet(url: string, timeoutMs = 2000): Promise<Timed> {
  const t0 = performance.now();
  const res = await requestJson('GET', url, timeoutMs);
  return { status: res?.status ?? null, body: res?.body ?? null, ms: performance.now() - t0 };
}

describe('demo service, in process', () => {
  let server: http.Server;
  let base: string;
  let crashes: number;

  beforeEach(async () => {
    crashes = 0;
    server = createDemoService({ baseLatencyMs: 20, jitterMs: 2, onCrash: () => (crashes += 1) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers Healthy with an uptime after about the base latency', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await timedGet(`${base}/health`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'Healthy', uptime_s: expect.any(Number) });
      expect(r.ms).toBeGreaterThanOrEqual(19);
      expect(r.ms).toBeLessThan(250);
    }
  });

  it.each<{ name: string; query: Record<string, string>; extraMs: number; count: number }>([
    { name: 'default spike: +400 ms for one response', query: {}, extraMs: 400, count: 1 },
    { name: 'spike with ?ms=150&count=2', query: { ms: '150', count: '2' }, extraMs: 150, count: 2 },
  ])('$name', async ({ query, extraMs, count }) => {
    expect(await injectFault(base, 'spike', query)).toBe(true);
    for (let i = 0; i < count; i++) {
      expect((await timedGet(`${base}/health`)).ms).toBeGreaterThanOrEqual(extraMs + 15);
    }
    const after = await timedGet(`${base}/health`);
    expect(after.status).toBe(200);
    expect(after.ms).toBeLessThan(extraMs);
  });

  it('stays Degraded until cleared', async () => {
    expect(await injectFault(base, 'degraded')).toBe(true);
    for (let i = 0; i < 2; i++) {
      const r = await timedGet(`${base}/health`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'Degraded' });
    }
    expect(await injectFault(base, 'clear')).toBe(true);
    expect((await timedGet(`${base}/health`)).body).toMatchObject({ status: 'Healthy' });
  });

  it('hangs health requests while controls still answer, until cleared', async () => {
    expect(await injectFault(base, 'hang')).toBe(true);
    const hung = await timedGet(`${base}/health`, 300);
    expect(hung.status).toBeNull();
    expect(hung.ms).toBeGreaterThanOrEqual(250);
    expect(await injectFault(base, 'clear')).toBe(true);
    expect((await timedGet(`${base}/health`)).status).toBe(200);
  });

  it('answers the crash request before crashing', async () => {
    expect(await injectFault(base, 'crash')).toBe(true);
    expect(await waitUntil(() => crashes === 1, { timeoutMs: 1000, intervalMs: 5 })).toBe(true);
  });

  it.each([
    { name: 'unknown mode', method: 'POST', path: '/fault/explode', status: 400 },
    { name: 'spike with a negative ms', method: 'POST', path: '/fault/spike?ms=-5', status: 400 },
    { name: 'spike with a fractional count', method: 'POST', path: '/fault/spike?count=1.5', status: 400 },
    { name: 'GET on a control', method: 'GET', path: '/fault/hang', status: 405 },
    { name: 'unknown path', method: 'GET', path: '/nope', status: 404 },
  ] as const)('rejects $name with $status', async ({ method, path: p, status }) => {
    const res = await requestJson(method, `${base}${p}`, 2000);
    expect(res?.status).toBe(status);
    expect(res?.body).toMatchObject({ ok: false, error: expect.any(String) });
  });

  it('refuses a request body over 4 KiB', async () => {
    const status = await new Promise<number | null>((resolve) => {
      const req = http.request(`${base}/fault/clear`, { method: 'POST', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? null);
      });
      req.on('error', () => resolve(null));
      req.end(Buffer.alloc(5000, 'x'));
    });
    expect(status).toBe(413);
  });

  it('injectFault says false when nothing listens', async () => {
    expect(await injectFault('http://127.0.0.1:1', 'clear')).toBe(false);
    expect(await injectFault('not a url', 'clear')).toBe(false);
  });
});

describe('sampleJitter', () => {
  it.each([0, 1e-9, 0.25, 0.5, 0.75, 0.999999999])('stays within [0.6, 1.7] × jitter for random() = %s', (u) => {
    const j = sampleJitter(() => u, 2);
    expect(j).toBeGreaterThanOrEqual(1.2);
    expect(j).toBeLessThanOrEqual(3.4);
  });
});

describe('demo service and restart, as real processes', () => {
  let distDir: string;
  let stateDir: string;
  let servicePath: string;
  let restartPath: string;

  // Builds just the two entries into a temp dir (the project build wipes dist/, which other tests may be using).
  beforeAll(async () => {
    distDir = mkdtempSync(path.join(os.tmpdir(), 'ag-demo-dist-'));
    writeFileSync(path.join(distDir, 'package.json'), '{"type":"module"}\n');
    await build({
      entryPoints: { service: path.join(root, 'src/demo/service-main.ts'), restart: path.join(root, 'src/demo/restart-main.ts') },
      outdir: distDir,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    servicePath = path.join(distDir, 'service.js');
    restartPath = path.join(distDir, 'restart.js');
  });

  afterAll(() => rmSync(distDir, { recursive: true, force: true }));

  beforeEach(() => {
    stateDir = mkdtempSync(path.join(os.tmpdir(), 'ag-demo-state-'));
  });

  afterEach(async () => {
    const { pid } = readServiceState(stateDir);
    await stopDemoService(stateDir);
    if (pid !== null) expect(isAlive(pid)).toBe(false);
    rmSync(stateDir, { recursive: true, force: true });
  });

  function runRestart(stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [restartPath, '--state', stateDir, '--service', servicePath]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  const trigger = JSON.stringify({ event: 'anomaly_trigger', reasons: ['health_unhealthy (connection refused)'] });

  it.each([
    { name: 'after a crash', fault: 'crash', oldExits: true },
    { name: 'while Degraded (the old process is stopped)', fault: 'degraded', oldExits: false },
  ])('restarts the service on the same port $name', async ({ fault, oldExits }) => {
    const { port, pid: oldPid } = await startDemoService({ servicePath, stateDir });
    const base = `http://127.0.0.1:${port}`;
    expect((await timedGet(`${base}/health`)).body).toMatchObject({ status: 'Healthy' });
    expect(await injectFault(base, fault)).toBe(true);
    if (oldExits) expect(await waitUntil(() => !isAlive(oldPid), { timeoutMs: 2000 })).toBe(true);

    const r = await runRestart(trigger);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const newPid = readServiceState(stateDir).pid;
    expect(newPid).not.toBeNull();
    expect(newPid).not.toBe(oldPid);
    expect(r.stdout).toContain('trigger: health_unhealthy (connection refused)');
    expect(r.stdout).toContain(`restarted demo service: pid ${oldPid} → ${newPid} on port ${port}`);
    expect(isAlive(oldPid)).toBe(false);
    expect(readServiceState(stateDir).port).toBe(port);
    expect((await timedGet(`${base}/health`)).body).toMatchObject({ status: 'Healthy' });
  });

  it('fails with a clear message when no service was ever started', async () => {
    const r = await runRestart('not json');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('trigger: (no anomaly_trigger JSON on stdin)');
    expect(r.stderr).toMatch(/^restart failed: no port recorded in .*service\.port; start the demo service first\n$/);
  });

  it('waits for a busy fixed port to be released', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    setTimeout(() => blocker.close(), 400);
    const started = await startDemoService({ servicePath, stateDir, port });
    expect(started.port).toBe(port);
    expect((await timedGet(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });

  it('stops on SIGTERM and forgets its pid file', async () => {
    const { pid } = await startDemoService({ servicePath, stateDir });
    await stopDemoService(stateDir);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(serviceFiles(stateDir).pid)).toBe(false);
  });
});
