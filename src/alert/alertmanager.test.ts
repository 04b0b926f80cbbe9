// The Alertmanager provider's own parts: the instance label and a refusal's detail. The push itself, fed
// real cycles, is test/alert/alertmanager.test.ts; against the real Alertmanager, alertmanager-e2e.test.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.js';
import { nodeHttpPost } from '../effects/http-post.js';
import { alertmanagerMemory, alertmanagerProvider, instanceOf } from './alertmanager.js';
import type { AlertOutcome } from './provider.js';

const configOf = (healthUrl: string, alertmanager: Record<string, unknown>) => validateConfig({ health: { url: healthUrl }, alert: { alertmanager } }, { file: null, baseDir: '/' }).config;
const outcome: AlertOutcome = {
  assessment: {
    gate: { heal: [], alert: [{ kind: 'disk', reason: 'disk_warning (93.2%)' }], graced: null },
    check: { ts: '2025-10-21T08:35:00.123456Z', lat: { latency_ms: 3.5, ok: true }, res: { cpu: 1, mem: 2, disk: 93.2 } },
  },
};

describe('instanceOf', () => {
  it.each([
    ['http://127.0.0.1:8080/health', '', '127.0.0.1:8080'],
    ['https://svc.internal/health', '', 'svc.internal:443'],
    ['http://svc.internal/health', '', 'svc.internal:80'],
    ['http://[::1]:8080/health', '', '[::1]:8080'],
    ['http://127.0.0.1:8080/health', 'web-1', 'web-1'],
  ])('%s (instance %j) → %s', (url, instance, want) => {
    expect(instanceOf(configOf(url, { url: 'http://am:9093', instance }))).toBe(want);
  });

  it.each([
    ['http://127.0.0.1:8080/health', '', 'web-1:8080'],
    ['http://127.3.0.9/health', '', 'web-1:80'],
    ['http://[::1]:8443/health', '', 'web-1:8443'],
    ['https://localhost/health', '', 'web-1:443'],
    ['http://svc.internal:8080/health', '', 'svc.internal:8080'],
    ['http://10.0.0.7:8080/health', '', '10.0.0.7:8080'],
    ['http://127.0.0.1:8080/health', 'api-a', 'api-a'],
  ])('on host web-1: %s (instance %j) → %s (a loopback address names the host, not every host)', (url, instance, want) => {
    expect(instanceOf(configOf(url, { url: 'http://am:9093', instance }), 'web-1')).toBe(want);
  });
});

describe('a refused push', () => {
  it('quotes the reply with its control characters escaped (Alertmanager failures reach terminals)', async () => {
    const hostile = createServer((_req, res) => res.writeHead(400).end('bad\u001b[2J\u009b31m\u0007 labels\r\nhere'));
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const base = `http://guard:hunter2@127.0.0.1:${(hostile.address() as AddressInfo).port}/am/?token=s3cret`;
    try {
      const provider = alertmanagerProvider(configOf('http://127.0.0.1:8080/health', { url: base }), { post: nodeHttpPost(), memory: alertmanagerMemory() });
      const delivery = await provider.send({ kind: 'cycle_end', outcome, nowMs: Date.now(), holdMs: 60_000 });
      const where = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
      expect(delivery).toEqual({ channel: 'alertmanager', ok: false, detail: `alertmanager ${where}: HTTP 400: bad\\x1b[2J\\x9b31m\\x07 labels here` });
    } finally {
      await new Promise((resolve) => hostile.close(resolve));
    }
  });
});
