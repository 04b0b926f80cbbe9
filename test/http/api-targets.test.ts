// The JSON API of a guard with `targets:` (issue 12): every read takes ?target=NAME and reads that target's
// own log; GET /api/targets is the overview (worst first, each target's own latencies and incident, from the
// daemon's memory after real cycles, from the log's tail before); an unknown name is a 404 that says where
// the names are; a read without a name is a 400. A config without targets answers as it always did.
import { afterEach, describe, expect, it } from 'vitest';
import type { GuardConfig } from '../../src/config/config.js';
import type { Asset } from '../../src/http/app.js';
import type { SeriesBody } from '../../src/http/api-series.js';
import type { TargetsBody } from '../../src/http/target-overview.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { appFixture, check, iso, type AppFixture } from './app-fixture.js';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const health = sharedHealthServer();
let fx: AppFixture;
afterEach(() => {
  fx?.cleanup();
  health.setMode({ kind: 'healthy' });
});

// api answers healthy (/ok), web answers 503 (/health), db has nobody listening: three services, one guard.
function threeTargets(assets?: Map<string, Asset>): AppFixture {
  const base = health.url.replace(/\/health$/, '');
  return appFixture({
    ...(assets === undefined ? {} : { assets }),
    raw: {
      heal: { command: ['false'], verify_after: '0s' },
      targets: [
        { name: 'api', health: { url: `${base}/ok` } },
        { name: 'web', health: { url: `${base}/health` } },
        { name: 'db', health: { url: 'http://127.0.0.1:9/health' } },
      ],
    },
  });
}

const targetOf = (name: string): GuardConfig => fx.config.targets.find((t) => t.target === name) as GuardConfig;

function seedTarget(name: string, lines: object[]): void {
  const file = targetOf(name).logFile;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, lines.map((l) => JSON.stringify({ ...l, target: name })).join('\n') + '\n');
}

async function json<T>(path: string, status = 200): Promise<T> {
  const res = await fx.get(path);
  expect(res.status, `${path}: ${await res.clone().text()}`).toBe(status);
  return (await res.json()) as T;
}

describe('/api/targets: the overview', () => {
  it('from the logs alone: every target, worst first, its own last latencies and last incident, no URL', async () => {
    fx = threeTargets();
    const now = Date.now();
    seedTarget('api', [check(now - 3000, 11), check(now - 2000, 12), check(now - 1000, 13)]);
    seedTarget('web', [check(now - 2000, 21), check(now - 1000, 2000, false), { event: 'anomaly_trigger', ts: iso(now - 900), reasons: ['health_unhealthy (HTTP 503)'], latency: 2000, score: null, cpu: 1, mem: 1, disk: 1 }]);
    const body = await json<TargetsBody>('/api/targets');
    expect(body.count).toBe(3);
    expect(body.targets.map((t) => [t.target, t.state, t.source])).toEqual([['web', 'CRITICAL', 'log'], ['db', 'UNKNOWN', 'log'], ['api', 'OK', 'log']]);
    expect(body.states).toMatchObject({ CRITICAL: 1, UNKNOWN: 1, OK: 1 });
    const [web, db, api] = body.targets;
    expect(api?.latencies).toEqual([11, 12, 13]);
    expect(api?.last_incident).toBeNull();
    expect(web?.latencies).toEqual([21, 2000]);
    expect(web?.failed).toEqual([1]);
    expect(web?.last_incident).toEqual({ ts: iso(now - 900), reasons: ['health_unhealthy (HTTP 503)'] });
    expect(db?.latencies).toEqual([]);
    expect(JSON.stringify(body)).not.toContain('http://');
  });

  it('after real cycles: the daemon\'s memory of each target; the failing one first with its incident', async () => {
    fx = threeTargets();
    health.setMode({ kind: 'http', code: 503 });
    for (const name of ['api', 'web']) for (let i = 0; i < 3; i++) await fx.cycle(targetOf(name));
    const body = await json<TargetsBody>('/api/targets');
    expect(body.targets.map((t) => [t.target, t.state, t.source])).toEqual([['web', 'CRITICAL', 'daemon'], ['db', 'UNKNOWN', 'log'], ['api', 'OK', 'daemon']]);
    const web = body.targets[0];
    expect(web?.latencies).toHaveLength(3);
    expect(web?.failed).toEqual([0, 1, 2]);
    expect(web?.last_incident?.reasons[0]).toMatch(/^health_unhealthy \(HTTP 503\)/);
    expect(body.targets[2]?.failed).toEqual([]);
    expect(body.targets[2]?.latencies).toHaveLength(3);
  });

  it('a config without targets has no overview (404 naming /api/status)', async () => {
    fx = appFixture();
    const body = await json<{ error: string }>('/api/targets', 404);
    expect(body.error).toContain('/api/status');
  });
});

describe('?target=NAME on every read', () => {
  it('status, series and events read that target\'s log only', async () => {
    fx = threeTargets();
    const now = Date.now();
    seedTarget('api', [check(now - 2000, 11), check(now - 1000, 12)]);
    seedTarget('web', [check(now - 1000, 2000, false), { event: 'resource_warning', ts: iso(now - 900), reasons: ['disk_warning (93.2%)'], cpu: 1, mem: 1, disk: 93.2 }]);
    const status = await json<{ latest_check: { lat: { latency_ms: number } } }>('/api/status?target=api');
    expect(status.latest_check.lat.latency_ms).toBe(12);
    const series = await json<SeriesBody>('/api/series?target=api&range=1h');
    expect(series.points.map((p) => p.latency_ms)).toEqual([11, 12]);
    const webSeries = await json<SeriesBody>('/api/series?range=1h&target=web');
    expect(webSeries.points.map((p) => [p.latency_ms, p.ok])).toEqual([[2000, false]]);
    const events = await json<{ events: { event: string; target: string }[] }>('/api/events?target=web');
    expect(events.events.map((e) => [e.event, e.target])).toEqual([['resource_warning', 'web']]);
    expect((await json<{ events: unknown[] }>('/api/events?target=api')).events).toEqual([]);
  });

  it('the status head is the target\'s own: its cycles and its verdict', async () => {
    fx = threeTargets();
    health.setMode({ kind: 'http', code: 503 });
    await fx.cycle(targetOf('web'));
    await fx.cycle(targetOf('api'));
    await fx.cycle(targetOf('api'));
    const web = await json<{ verdict: string; daemon: { cycles: number } }>('/api/status?target=web');
    const api = await json<{ verdict: string; daemon: { cycles: number } }>('/api/status?target=api');
    expect([web.verdict, web.daemon.cycles]).toEqual(['CRITICAL', 1]);
    expect([api.verdict, api.daemon.cycles]).toEqual(['OK', 2]);
    expect((await json<{ verdict: string }>('/api/status?target=db')).verdict).toBe('UNKNOWN');
  });

  it.each(['/api/status', '/api/events', '/api/series'])('%s: an unknown name is a 404 naming it and /api/targets; no name is a 400', async (route) => {
    fx = threeTargets();
    const unknown = await json<{ error: string }>(`${route}?target=nope`, 404);
    expect(unknown.error).toContain('"nope"');
    expect(unknown.error).toContain('/api/targets');
    const missing = await json<{ error: string }>(route, 400);
    expect(missing.error).toBe('this guard has 3 targets: add ?target=NAME (GET /api/targets lists them)');
  });

  it('a config without targets refuses a name and answers without one as always', async () => {
    fx = appFixture();
    fx.seed([check(Date.now() - 1000, 12)]);
    expect((await json<{ error: string }>('/api/status?target=api', 404)).error).toContain('has no targets');
    expect((await json<{ latest_check: { lat: { latency_ms: number } } }>('/api/status')).latest_check.lat.latency_ms).toBe(12);
  });

  it('the page of a guard with targets says so on its <body>; without targets it is served as built', async () => {
    const page = '<!doctype html><html><body><main></main></body></html>';
    const assets = new Map<string, Asset>([['/', { contentType: 'text/html; charset=utf-8', body: page }]]);
    fx = threeTargets(assets);
    expect(await (await fx.get('/', { token: null })).text()).toBe('<!doctype html><html><body data-targets="3"><main></main></body></html>');
    fx.cleanup();
    fx = appFixture({ assets });
    expect(await (await fx.get('/', { token: null })).text()).toBe(page);
  });
});
