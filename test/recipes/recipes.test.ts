// Each README recipe, run as a user would: `anomaly-guard check` (the built CLI) with the README's own
// config against a loopback server that answers like the real software (etcd, Elasticsearch, Spring Boot,
// a /healthz, Prometheus, RabbitMQ, PostgreSQL) and against real nginx and redis-server where installed.
// The reason logged must be the README's failure line.
import http from 'node:http';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { certFor127 } from '../helpers/certs.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { refusedUrl } from '../helpers/health-server.js';
import { startNginx, startRedis } from '../helpers/real-services.js';
import { startTcpServer, type TcpServer } from '../helpers/tcp-server.js';
import { stopAll } from '../http/external.js';
import { pointedAt, readmeRecipe } from './readme-recipes.js';

type Answer = { status: number; body: string; delayMs?: number; basicAuth?: string };
let routes: Record<string, Answer> = {};
let double: http.Server;
let hostPort = '';
const seenAuth: (string | undefined)[] = [];
let env: GuardEnv | null = null;
let dir = '';

beforeAll(async () => {
  double = http.createServer((req, res) => {
    seenAuth.push(req.headers.authorization);
    const a = routes[req.url ?? ''] ?? { status: 404, body: 'not found' };
    if (a.basicAuth && req.headers.authorization !== `Basic ${Buffer.from(a.basicAuth).toString('base64')}`) return void res.writeHead(401).end();
    setTimeout(() => res.writeHead(a.status, { 'content-type': a.body.startsWith('{') ? 'application/json' : 'text/plain' }).end(a.body), a.delayMs ?? 0);
  });
  await new Promise<void>((r) => double.listen(0, '127.0.0.1', () => r()));
  hostPort = `127.0.0.1:${(double.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'ag-recipes-'));
});
afterAll(async () => {
  await new Promise((r) => double.close(r));
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
});
afterEach(() => {
  env?.cleanup();
  env = null;
});

/** Runs `check` with a config; returns its exit status and the health reason logged (null when healthy). */
async function check(config: Record<string, any>, setup?: (e: GuardEnv) => void): Promise<{ code: number; reason: string | null; stdout: string; log: string }> {
  env = guardEnv(config.health.url);
  setup?.(env);
  env.writeConfig(config);
  const run = await env.run(['check']);
  const record = env.records().find((r) => 'lat' in r) as { reasons?: string[] } | undefined;
  expect(record, run.stderr).toBeDefined();
  const reason = record?.reasons?.find((r) => r.startsWith('health_unhealthy')) ?? null;
  return { code: run.code, reason, stdout: run.stdout, log: readFileSync(env.logFile, 'utf8') };
}

describe('HTTP recipes against loopback servers that answer like the software', () => {
  const cases: { title: string; block?: number; failure?: number; path: string; healthy: Answer[]; failing: Answer; seedRule?: boolean }[] = [
    {
      title: 'etcd',
      path: '/health',
      healthy: [{ status: 200, body: '{"health":"true","reason":""}' }],
      failing: { status: 503, body: '{"health":"false","reason":"RAFT NO LEADER"}' },
    },
    {
      title: 'Elasticsearch',
      path: '/_cluster/health',
      healthy: ['green', 'yellow'].map((status) => ({ status: 200, body: `{"cluster_name":"es","status":"${status}","timed_out":false,"number_of_nodes":1}` })),
      failing: { status: 200, body: '{"cluster_name":"es","status":"red","timed_out":false,"number_of_nodes":1}' },
    },
    {
      title: 'Spring Boot Actuator',
      path: '/actuator/health',
      healthy: [{ status: 200, body: '{"status":"UP","components":{"db":{"status":"UP","details":{"database":"PostgreSQL"}},"ping":{"status":"UP"}}}' }],
      failing: { status: 503, body: '{"status":"DOWN","components":{"db":{"status":"DOWN","details":{"error":"org.springframework.jdbc.CannotGetJdbcConnectionException"}},"ping":{"status":"UP"}}}' },
    },
    {
      title: 'Kubernetes-style /healthz',
      path: '/healthz',
      healthy: [{ status: 200, body: 'ok' }],
      failing: { status: 500, body: '[+]ping ok\n[-]etcd failed: reason withheld\nhealthz check failed\n' },
    },
    {
      title: 'Kubernetes-style /healthz',
      block: 1,
      failure: 1,
      path: '/-/ready',
      healthy: [{ status: 200, body: 'Prometheus Server is Ready.\n' }],
      failing: { status: 503, body: 'Service Unavailable\n' },
    },
    {
      title: 'RabbitMQ',
      path: '/api/health/checks/alarms',
      healthy: [{ status: 200, body: '{"status":"ok"}', basicAuth: 'guest:guest' }],
      failing: { status: 503, body: '{"status":"failed","reason":"There are alarms in effect in the cluster","alarms":[{"node":"rabbit@host","resource":"memory"}]}', basicAuth: 'guest:guest' },
    },
    {
      title: 'RabbitMQ',
      failure: 1,
      seedRule: true,
      path: '/api/health/checks/alarms',
      healthy: [],
      failing: { status: 503, body: '{"status":"failed","reason":"There are alarms in effect in the cluster","alarms":[]}', basicAuth: 'guest:guest' },
    },
  ];

  it.each(cases)('$title ($path): healthy answers pass, the failing one logs the README line', async ({ title, block, failure, path, healthy, failing, seedRule }) => {
    const recipe = readmeRecipe(title);
    let config = pointedAt(recipe.configs[block ?? 0] as Record<string, any>, hostPort);
    if (seedRule) config = { ...config, health: { ...config.health, conditions: [] } };
    for (const answer of healthy) {
      routes = { [path]: answer };
      const run = await check(config);
      expect(run.reason).toBeNull();
      expect(run.code).toBe(0);
    }
    routes = { [path]: failing };
    const run = await check(config);
    expect(run.code).toBe(2);
    expect(run.reason).toBe(recipe.failures[failure ?? 0]);
    expect(run.stdout.split('\n')[0]).toContain(`CRITICAL - ${recipe.failures[failure ?? 0]?.replaceAll(';', ',')}`);
    if (failing.basicAuth) {
      expect(seenAuth.at(-1)).toBe('Basic Z3Vlc3Q6Z3Vlc3Q=');
      expect(run.log + run.stdout).not.toContain('guest:guest');
    }
  });

  it('a latency ceiling: slow but correct is unhealthy, with the time it took', async () => {
    const recipe = readmeRecipe('A latency ceiling as well as the baseline');
    const config = pointedAt(recipe.configs[0] as Record<string, any>, hostPort);
    routes = { '/health': { status: 200, body: '{"status":"Healthy"}', delayMs: 400 } };
    const run = await check(config);
    const shape = (text: string | null | undefined): string => (text ?? '').replace(/\(\d+\)/, '(<ms>)');
    expect(shape(run.reason)).toBe(shape(recipe.failures[0]));
    // The time shown is the logged latency, in whole ms, and the server took at least 400 ms.
    const latency = (JSON.parse(run.log.split('\n')[0] as string) as { lat: { latency_ms: number } }).lat.latency_ms;
    expect(run.reason).toContain(`(${Math.floor(latency)}) < 250`);
    expect(latency).toBeGreaterThanOrEqual(400);
  });
});

describe('Kubernetes-style /healthz against a real nginx', () => {
  it('ok is healthy, a failed check logs the README line', async (ctx) => {
    const nginx = await startNginx(join(dir, 'nginx-healthz'), {
      '/healthz': '200 "ok"',
      '/failing': '500 "[+]ping ok\\n[-]etcd failed: reason withheld\\nhealthz check failed\\n"',
    });
    if (nginx === null) return ctx.skip();
    const recipe = readmeRecipe('Kubernetes-style /healthz');
    const config = pointedAt(recipe.configs[0] as Record<string, any>, `127.0.0.1:${nginx.port}`);
    expect((await check(config)).reason).toBeNull();
    const failing = { ...config, health: { ...config.health, url: config.health.url.replace('/healthz', '/failing') } };
    expect((await check(failing)).reason).toBe(recipe.failures[0]);
  });
});

describe('PostgreSQL over TCP', () => {
  let server: TcpServer;
  beforeAll(async () => {
    server = await startTcpServer({ kind: 'silent' });
  });
  afterAll(() => server.close());

  it('a listener is healthy; a stopped one logs the README line', async () => {
    const recipe = readmeRecipe('PostgreSQL (or any service) over TCP');
    const run = await check(pointedAt(recipe.configs[0] as Record<string, any>, `127.0.0.1:${server.port}`));
    expect(run.reason).toBeNull();
    expect(run.stdout).toMatch(/^health {3}ok \(tcp connected; all 2 conditions hold\)$/m);
    const stopped = new URL(await refusedUrl()).host;
    expect((await check(pointedAt(recipe.configs[0] as Record<string, any>, stopped))).reason).toBe(recipe.failures[0]);
  });
});

describe('Redis over TCP against a real redis-server', () => {
  it('PING answers +PONG; with a password required, the README line', async (ctx) => {
    const [open, locked] = [await startRedis(), await startRedis('s3cret-pass')];
    if (open === null || locked === null) return ctx.skip();
    const recipe = readmeRecipe('Redis over TCP');
    const config = recipe.configs[0] as Record<string, any>;
    expect((await check(pointedAt(config, `127.0.0.1:${open.port}`))).reason).toBeNull();
    expect((await check(pointedAt(config, `127.0.0.1:${locked.port}`))).reason).toBe(recipe.failures[0]);
    // The README's AUTH variant passes, and the password is in no output.
    const auth = pointedAt({ ...config, health: { ...config.health, send: 'AUTH s3cret-pass\r\nPING\r\n' } }, `127.0.0.1:${locked.port}`);
    const run = await check(auth);
    expect(run.reason).toBeNull();
    expect(run.stdout + run.log).not.toContain('s3cret');
    const status = await (env as GuardEnv).run(['status']);
    expect(status.stdout).toMatch(/^probe {7}tcp tcp:\/\/127\.0\.0\.1:\d+ \(expect "\+PONG"; \[CONNECTED\] == true\)$/m);
    expect(status.stdout).not.toContain('s3cret');
  });
});

describe('A certificate that expires', () => {
  it('7 days left is under the 168h line; 30 days pass; an expired one fails the handshake', async (ctx) => {
    const [week, month, expired] = [certFor127(dir, 7, 'week'), certFor127(dir, 30, 'month'), certFor127(dir, 1, 'expired', { faketime: '-2d' })];
    if (week === null || month === null) return ctx.skip();
    const recipe = readmeRecipe('A certificate that expires');
    const config = recipe.configs[0] as Record<string, any>;
    const servers = await Promise.all([week, month].map((c) => startTcpServer({ kind: 'silent' }, { tls: c })));
    try {
      const withCa = (cert: string) => (e: GuardEnv) => copyFileSync(cert, join(e.dir, 'ca.pem'));
      expect((await check(pointedAt(config, `127.0.0.1:${servers[0]!.port}`), withCa(week.certFile))).reason).toBe(recipe.failures[0]);
      expect((await check(pointedAt(config, `127.0.0.1:${servers[1]!.port}`), withCa(month.certFile))).reason).toBeNull();
      if (expired === null) return;
      const old = await startTcpServer({ kind: 'silent' }, { tls: expired });
      servers.push(old);
      expect((await check(pointedAt(config, `127.0.0.1:${old.port}`), withCa(expired.certFile))).reason).toBe(recipe.failures[1]);
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it('the same line against a real nginx over https:// and tls://', async (ctx) => {
    const week = certFor127(dir, 7, 'nginx-week');
    const nginx = week && (await startNginx(join(dir, 'nginx-tls'), { '/healthz': '200 "ok"' }, week));
    if (!week || !nginx?.tlsPort) return ctx.skip();
    const recipe = readmeRecipe('A certificate that expires');
    const config = pointedAt(recipe.configs[0] as Record<string, any>, `127.0.0.1:${nginx.tlsPort}`);
    const withCa = (e: GuardEnv): void => copyFileSync(week.certFile, join(e.dir, 'ca.pem'));
    expect((await check(config, withCa)).reason).toBe(recipe.failures[0]);
    const https = { ...config, health: { ...config.health, url: `https://127.0.0.1:${nginx.tlsPort}/healthz`, conditions: ['[STATUS] == 200', '[BODY] == ok', ...config.health.conditions.slice(1)] } };
    expect((await check(https, withCa)).reason).toBe(recipe.failures[0]);
  });
});
