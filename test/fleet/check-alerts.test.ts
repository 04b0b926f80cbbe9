// A one-shot `check` of a config with targets pushes each failing target's alerts with a `target` label
// (issue 12), to a real HTTP server on 127.0.0.1 that records what it receives.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmAlert } from '../../src/alert/alertmanager-alerts.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';

let api: HealthServer;
let web: HealthServer;
let am: Server;
let amUrl: string;
let env: GuardEnv | null = null;
const received: AmAlert[] = [];

beforeAll(async () => {
  [api, web] = await Promise.all([startHealthServer(), startHealthServer()]);
  am = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      received.push(...(JSON.parse(body) as AmAlert[]));
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => am.listen(0, '127.0.0.1', () => r()));
  amUrl = `http://127.0.0.1:${(am.address() as AddressInfo).port}`;
});
afterAll(async () => {
  env?.cleanup();
  await Promise.all([api?.close(), web?.close()]);
  await new Promise((r) => am.close(r));
});

describe('check with targets and alert.alertmanager.url', () => {
  it('the failing target\'s alert carries target; the healthy one sends none', async () => {
    web.setMode({ kind: 'http', code: 503 });
    env = guardEnv(api.url);
    env.writeConfig({
      alert: { alertmanager: { url: amUrl, instance: 'host-a:9102' } },
      targets: [{ name: 'api', health: { url: api.url } }, { name: 'web', health: { url: web.url } }],
    });
    const run = await env.run(['check']);
    expect(run.code, run.stderr).toBe(2);
    expect(received.map((a) => a.labels)).toEqual([{ alertname: 'AnomalyGuardUnhealthy', severity: 'critical', reason: 'health_unhealthy', instance: 'host-a:9102', target: 'web' }]);
  });
});
