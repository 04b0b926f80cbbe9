// The provider interface: each channel says whether the config sets it up and carries its own events
// (command and webhook a record, Alertmanager a cycle's end); sendAlert fans an event out to the configured
// ones only, in channel order. Real parts: a child process, a receiver on 127.0.0.1 (port 0).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.js';
import { nodeHttpPost } from '../effects/http-post.js';
import { nodeProcessRunner } from '../effects/process-runner.js';
import { alertProviders } from './alerting.js';
import { sendAlert, type AlertEvent, type AlertOutcome } from './provider.js';

const script = fileURLToPath(new URL('../../test/fixtures/scripts/record-stdin.mjs', import.meta.url));
const deps = { runner: nodeProcessRunner({ clock: { monoMs: () => performance.now() } }), post: nodeHttpPost(), sleep: async () => undefined };
const record = { event: 'anomaly_trigger', ts: '2025-10-21T08:35:00.123456Z', reasons: ['health_unhealthy (HTTP 503)'], latency: 12.5, score: null, cpu: 1, mem: 2, disk: 3 };
const outcome: AlertOutcome = {
  assessment: {
    gate: { heal: [{ kind: 'unhealthy', reason: 'health_unhealthy (HTTP 503)' }], alert: [], graced: null },
    check: { ts: '2025-10-21T08:35:00.123456Z', lat: { latency_ms: 12.5, ok: false }, res: { cpu: 1, mem: 2, disk: 3 } },
  },
};
const events: Record<string, AlertEvent> = {
  record: { kind: 'record', record },
  cycle_end: { kind: 'cycle_end', outcome, nowMs: Date.parse('2025-10-21T08:35:01Z'), holdMs: 60_000 },
};

let dir = '';
let server: Server;
let base = '';
const received: Array<{ path: string; body: unknown }> = [];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ag-provider-'));
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => server.close(resolve));
});

function providersOf(alert: Record<string, unknown>) {
  const { config } = validateConfig({ health: { url: 'http://127.0.0.1:8080/health' }, alert }, { file: null, baseDir: dir });
  return alertProviders(config, deps);
}

describe('the provider interface', () => {
  it('each provider is configured by its own key only', () => {
    const configured = (alert: Record<string, unknown>) => providersOf(alert).filter((p) => p.configured()).map((p) => p.channel);
    expect(configured({})).toEqual([]);
    expect(configured({ command: ['true'] })).toEqual(['command']);
    expect(configured({ webhook: `${base}/hook` })).toEqual(['webhook']);
    expect(configured({ alertmanager: { url: base } })).toEqual(['alertmanager']);
  });

  it.each([
    ['a record goes to the command and the webhook', 'record', ['command', 'webhook'], ['/hook']],
    ['a cycle end goes to Alertmanager', 'cycle_end', ['alertmanager'], ['/am/api/v2/alerts']],
  ])('%s, and each delivery is a value naming its channel', async (_name, kind, channels, paths) => {
    received.length = 0;
    const out = join(dir, `${kind}.json`);
    const providers = providersOf({ command: [process.execPath, script, out], webhook: `${base}/hook`, alertmanager: { url: `${base}/am` } });
    const deliveries = await sendAlert(providers, events[kind]!);
    expect(deliveries).toEqual(channels.map((channel) => expect.objectContaining({ channel, ok: true, detail: null })));
    expect(received.map((r) => r.path)).toEqual(paths);
    if (kind === 'record') expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(record);
    if (kind === 'cycle_end') expect(deliveries[0]).toMatchObject({ firing: 1, resolved: 0 });
  });

  it('an unconfigured provider is never sent to; a failure is a value', async () => {
    received.length = 0;
    const providers = providersOf({ webhook: 'http://127.0.0.1:9/hook' });
    expect(await sendAlert(providers, events.cycle_end!)).toEqual([]);
    expect(await sendAlert(providers, events.record!)).toEqual([{ channel: 'webhook', ok: false, detail: 'webhook http://127.0.0.1:9: connection refused (3 attempts)' }]);
    expect(received).toEqual([]);
  });
});
