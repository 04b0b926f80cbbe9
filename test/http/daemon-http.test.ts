// The HTTP server inside the real daemon (`anomaly-guard run`, interval 1s): the stream tells each cycle,
// a stop with a client still connected is prompt and clean, an address in use is reported and taken once
// it is free, and the token never reaches scheduler.log or stderr.
import { readFileSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { freePort, pollJson } from './external.js';

const TOKEN = 'daemon-http-token-0123456789abcd';
let health: HealthServer;
let env: GuardEnv;
beforeAll(async () => {
  health = await startHealthServer();
});
afterAll(() => health.close());
afterEach(() => {
  killAll();
  env?.cleanup();
});

describe('the daemon with http.listen', () => {
  it('streams a cycle event per cycle; SIGTERM with a client connected exits 0 at once; no token in its logs', async () => {
    env = guardEnv(health.url);
    const port = await freePort();
    env.writeConfig({ interval: '1s', http: { listen: `127.0.0.1:${port}`, token: TOKEN } });
    const daemon = startDaemon(env.configFile);
    await pollJson('/healthz', `http://127.0.0.1:${port}/healthz`, (b) => b.ok === true);
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/stream`, { headers: { authorization: `Bearer ${TOKEN}` }, signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = '';
    while ((text.match(/event: cycle/g) ?? []).length < 2) text += new TextDecoder().decode((await reader.read()).value);
    const events = [...text.matchAll(/event: cycle\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!));
    expect(events[0]).toEqual({ ts: expect.stringMatching(/Z$/), cycle: expect.any(Number), verdict: 'OK' });
    expect(events[1].cycle).toBe(events[0].cycle + 1);
    const t0 = Date.now();
    expect(await daemon.stop('SIGTERM', 5000)).toBe(0);
    expect(Date.now() - t0).toBeLessThan(3000);
    controller.abort();
    const logs = readFileSync(join(env.dir, 'logs', 'scheduler.log'), 'utf8') + daemon.stderr();
    expect(logs).toContain(`http: listening on 127.0.0.1:${port} (dashboard /, API /api/, /metrics, /healthz; token required)`);
    expect(logs).not.toContain(TOKEN);
  });

  it('an address in use: reported, guarding goes on, and the server starts after a cycle once it is free', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as AddressInfo).port;
    env = guardEnv(health.url);
    env.writeConfig({ interval: '1s', http: { listen: `127.0.0.1:${port}` } });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the problem on stderr', () => daemon.stderr().includes('EADDRINUSE'));
    expect(daemon.stderr()).toContain(`http: cannot listen on 127.0.0.1:${port}: the address is in use (another program listens there) (EADDRINUSE); the dashboard, API and /metrics are off, retried after each cycle`);
    await waitFor('two checks while the port is taken', () => env.records().filter((r) => r.lat !== undefined).length >= 2, 5000);
    await new Promise<void>((r) => holder.close(() => r()));
    await pollJson('the server to start', `http://127.0.0.1:${port}/healthz`, (b) => b.ok === true, { timeoutMs: 5000 });
    expect((await fetch(`http://127.0.0.1:${port}/api/status`)).status).toBe(200); // no token configured
    // A reload applies a new token at once; a new address only at the next start, and says so.
    env.writeConfig({ interval: '1s', http: { listen: `127.0.0.1:${port + 1}`, token: TOKEN } });
    daemon.child.kill('SIGHUP');
    await waitFor('the reload line', () => daemon.stderr().includes('http.listen changed: the HTTP server keeps its address until the daemon restarts'));
    expect((await fetch(`http://127.0.0.1:${port}/api/status`)).status).toBe(401);
    expect(await daemon.stop('SIGTERM')).toBe(0);
  });
});
