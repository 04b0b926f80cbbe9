// The Alertmanager push against a real HTTP server on 127.0.0.1 that records what it receives, fed real
// cycles (real probe of a real health server, fixture /proc, real log).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AmAlert } from '../../src/alert/alertmanager-alerts.js';
import { alertmanagerMemory, alertmanagerProvider, alertsEndpoint, type AlertmanagerMemory } from '../../src/alert/alertmanager.js';
import type { AlertOutcome } from '../../src/alert/provider.js';
import type { GuardConfig } from '../../src/config/config.js';
import { nodeHttpPost } from '../../src/effects/http-post.js';
import { formatTs } from '../../src/core/format.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { appFixture, type AppFixture } from '../http/app-fixture.js';

type Received = { path: string; headers: IncomingHttpHeaders; alerts: AmAlert[] };
let health: HealthServer;
let am: Server;
let amUrl: string;
let received: Received[] = [];
let answer = 200;
let fx: AppFixture;

beforeAll(async () => {
  health = await startHealthServer();
  am = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, alerts: JSON.parse(body) as AmAlert[] });
      res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer === 200 ? '' : 'boom: bad labels');
    });
  });
  await new Promise<void>((r) => am.listen(0, '127.0.0.1', () => r()));
  amUrl = `http://127.0.0.1:${(am.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await health.close();
  await new Promise((r) => am.close(r));
});
afterEach(() => {
  fx?.cleanup();
  received = [];
  answer = 200;
  health.setMode({ kind: 'healthy' });
});

const HOLD = 180_000;
const post = nodeHttpPost();
// A push of a cycle's outcome through the provider, as the daemon (one memory) and a check (a fresh one) do.
const pushWith = (memory: AlertmanagerMemory) => (outcome: AlertOutcome, config: GuardConfig, nowMs: number, holdMs: number) =>
  alertmanagerProvider(config, { post, memory }).send({ kind: 'cycle_end', outcome, nowMs, holdMs });
const alertmanagerPusher = () => ({ push: pushWith(alertmanagerMemory()) });
const pushOnce = (outcome: AlertOutcome, config: GuardConfig, nowMs: number, holdMs: number) => pushWith(alertmanagerMemory())(outcome, config, nowMs, holdMs);
const pushed = (firing: number, resolved: number) => ({ channel: 'alertmanager', ok: true, detail: null, firing, resolved });
const instance = (): string => `127.0.0.1:${health.port}`;

describe('the daemon pusher', () => {
  it('fires while the finding lasts (same startsAt, endsAt ahead), resolves once when it clears, then stays quiet', async () => {
    fx = appFixture({ healthUrl: health.url, raw: { alert: { alertmanager: { url: `${amUrl}/am/` } } } });
    const pusher = alertmanagerPusher();
    const push = async (now: number) => pusher.push((await fx.cycle()).result!, fx.config, now, HOLD);
    const t0 = Date.now();
    expect(await push(t0)).toEqual(pushed(0, 0));
    expect(received).toEqual([]);
    health.setMode({ kind: 'status', status: 'Degraded' });
    expect(await push(t0 + 1000)).toEqual(pushed(1, 0));
    expect(await push(t0 + 2000)).toEqual(pushed(1, 0));
    health.setMode({ kind: 'healthy' });
    expect(await push(t0 + 3000)).toEqual(pushed(0, 1));
    expect(await push(t0 + 4000)).toEqual(pushed(0, 0));
    expect(received.map((r) => r.path)).toEqual(['/am/api/v2/alerts', '/am/api/v2/alerts', '/am/api/v2/alerts']);
    const labels = { alertname: 'AnomalyGuardUnhealthy', severity: 'critical', reason: 'health_unhealthy', instance: instance() };
    const [first, second, resolved] = received.map((r) => r.alerts);
    expect(first).toEqual([{ labels, annotations: { summary: `health_unhealthy on ${instance()}`, description: expect.stringMatching(/^health_unhealthy \(status=Degraded\); the guard heals it \(heal action\)\. Last check .*: latency [\d.]+ ms \(failed\), cpu 0\.0 %, mem 30\.0 %, disk [\d.]+ %\.$/) }, startsAt: formatTs(t0 + 1000), endsAt: formatTs(t0 + 1000 + HOLD) }]);
    expect(second?.[0]).toMatchObject({ startsAt: formatTs(t0 + 1000), endsAt: formatTs(t0 + 2000 + HOLD) });
    expect(resolved).toEqual([{ ...second?.[0], endsAt: formatTs(t0 + 3000) }]);
    expect(received[0]?.headers['content-type']).toBe('application/json');
  });

  it('an alert-action finding is a warning; alert.alertmanager.instance replaces host:port', async () => {
    fx = appFixture({ healthUrl: health.url, raw: { actions: { unhealthy: 'alert' }, alert: { alertmanager: { url: amUrl, instance: 'web-1' } } } });
    health.setMode({ kind: 'http', code: 503 });
    await alertmanagerPusher().push((await fx.cycle()).result!, fx.config, Date.now(), HOLD);
    expect(received[0]?.alerts[0]?.labels).toEqual({ alertname: 'AnomalyGuardUnhealthy', severity: 'warning', reason: 'health_unhealthy', instance: 'web-1' });
  });

  it('a failed push is a value naming Alertmanager without its credentials; the resolution is sent again next time', async () => {
    const secretUrl = amUrl.replace('http://', 'http://guard:hunter2@');
    fx = appFixture({ healthUrl: health.url, raw: { alert: { alertmanager: { url: secretUrl } } } });
    const pusher = alertmanagerPusher();
    health.setMode({ kind: 'status', status: 'Degraded' });
    await pusher.push((await fx.cycle()).result!, fx.config, Date.now(), HOLD);
    expect(received[0]?.headers.authorization).toBe(`Basic ${Buffer.from('guard:hunter2').toString('base64')}`);
    health.setMode({ kind: 'healthy' });
    answer = 500;
    const failed = await pusher.push((await fx.cycle()).result!, fx.config, Date.now(), HOLD);
    expect(failed).toEqual({ channel: 'alertmanager', ok: false, detail: `alertmanager ${amUrl}: HTTP 500: boom: bad labels` });
    answer = 200;
    expect(await pusher.push((await fx.cycle()).result!, fx.config, Date.now(), HOLD)).toEqual(pushed(0, 1));
    expect(received.at(-1)?.alerts).toHaveLength(1);
  });

  it('Alertmanager not reachable: a value, quickly', async () => {
    fx = appFixture({ healthUrl: health.url, raw: { alert: { alertmanager: { url: 'http://127.0.0.1:9/', timeout: '2s' } } } });
    health.setMode({ kind: 'status', status: 'Degraded' });
    expect(await alertmanagerPusher().push((await fx.cycle()).result!, fx.config, Date.now(), HOLD)).toEqual({ channel: 'alertmanager', ok: false, detail: 'alertmanager http://127.0.0.1:9: connection refused' });
  });
});

describe('a one-shot check', () => {
  it('sends the firing alerts only, lasting what it is given', async () => {
    fx = appFixture({ healthUrl: health.url, raw: { alert: { alertmanager: { url: amUrl } } } });
    expect(await pushOnce((await fx.cycle()).result!, fx.config, Date.now(), HOLD)).toEqual(pushed(0, 0));
    expect(received).toEqual([]);
    health.setMode({ kind: 'status', status: 'Degraded' });
    const now = Date.now();
    expect(await pushOnce((await fx.cycle()).result!, fx.config, now, 120_000)).toEqual(pushed(1, 0));
    expect(received[0]?.alerts[0]).toMatchObject({ startsAt: formatTs(now), endsAt: formatTs(now + 120_000) });
  });
});

describe('alertsEndpoint', () => {
  it.each([
    ['http://am:9093', 'http://am:9093/api/v2/alerts'],
    ['http://am:9093/', 'http://am:9093/api/v2/alerts'],
    ['https://host/alertmanager//?x=1', 'https://host/alertmanager/api/v2/alerts'],
  ])('%s → %s', (base, want) => {
    expect(alertsEndpoint(base).href).toBe(want);
  });
});
