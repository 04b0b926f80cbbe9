// The real daemon serving the dashboard: `anomaly-guard run` with http.listen on a free loopback port,
// guarding a test health server whose latency wanders like a real service's. Its heal command calls back
// into the test, which makes the service healthy again (a restart that works).
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { deepMerge, guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { startDaemon, type Daemon } from '../daemon/daemon-process.js';

/** A daemon with its web address, its health server and its temp folder. */
export interface DaemonPage {
  url: string;
  health: HealthServer;
  env: GuardEnv;
  daemon: Daemon;
  /** How many times the heal command ran. */
  readonly heals: number;
  /** Starts (true) or stops (false) the wandering healthy answers (18-28 ms); stop it before setting a fault mode. */
  jitter(on: boolean): void;
  stop(): Promise<void>;
}

/** A loopback port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Polls `url` until it answers at all (any status); fails with the daemon's stderr when it exits or after `timeoutMs`. */
async function waitForHttp(url: string, daemon: Daemon, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false);
    if (ok) return;
    if (daemon.child.exitCode !== null) throw new Error(`the daemon exited (${daemon.child.exitCode}); stderr:\n${daemon.stderr()}`);
    if (Date.now() > deadline) throw new Error(`the daemon's HTTP server did not answer ${url} within ${timeoutMs} ms; stderr:\n${daemon.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Starts the health server and `anomaly-guard run` (interval 1s, baseline after 4 checks) with `config` merged in,
 * over a log seeded with `seed` (records or lines) when given.
 * Latency outliers are only logged: a loaded test machine must not trigger heals of its own. */
export async function startDaemonPage(config: Record<string, unknown> = {}, seed?: (object | string)[]): Promise<DaemonPage> {
  const health = await startHealthServer();
  let timer: NodeJS.Timeout | undefined;
  let heals = 0;
  const wander = (): void => health.setMode({ kind: 'healthy', delayMs: 18 + Math.round(Math.random() * 10) });
  const jitter = (on: boolean): void => {
    clearInterval(timer);
    if (!on) return;
    wander();
    timer = setInterval(wander, 200);
  };
  jitter(true);
  const control = http.createServer((_req, res) => {
    heals += 1;
    jitter(true);
    res.end('ok');
  });
  const heal = [process.execPath, '-e', 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1))', `http://127.0.0.1:${await listen(control)}/heal`];
  const env = guardEnv(health.url);
  const port = await freePort();
  if (seed) env.seedLog(seed);
  env.writeConfig(deepMerge({ interval: '1s', latency: { window: 30, min_samples: 4 }, actions: { latency: 'log' }, heal: { command: heal, verify_after: '200ms' }, http: { listen: `127.0.0.1:${port}` } }, config));
  const daemon = startDaemon(env.configFile, ['--quiet']);
  const url = `http://127.0.0.1:${port}/`;
  await waitForHttp(`${url}healthz`, daemon, 8000);
  return {
    url,
    health,
    env,
    daemon,
    get heals() {
      return heals;
    },
    jitter,
    async stop() {
      clearInterval(timer);
      await daemon.stop('SIGTERM', 8000).catch(() => daemon.child.kill('SIGKILL'));
      await health.close();
      await new Promise((resolve) => control.close(resolve));
      env.cleanup();
    },
  };
}
