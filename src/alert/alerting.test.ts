// cycleEndAlerts, the one way check and run tell alerting about a finished cycle: the hold each mode
// gives an alert, a failure reported once until it changes, the recovery reported, a cycle that assessed
// nothing sent nowhere. A real receiver on 127.0.0.1 (port 0) answers with the status the test sets.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.js';
import { formatTs } from '../core/format.js';
import { nodeHttpPost } from '../effects/http-post.js';
import { nodeProcessRunner } from '../effects/process-runner.js';
import { alertHoldMs, cycleEndAlerts } from './alerting.js';
import type { AmAlert } from './alertmanager-alerts.js';
import type { AlertOutcome } from './provider.js';

const deps = { runner: nodeProcessRunner({ clock: { monoMs: () => performance.now() } }), post: nodeHttpPost(), sleep: async () => undefined };
const firing: AlertOutcome = {
  assessment: {
    gate: { heal: [{ kind: 'unhealthy', reason: 'health_unhealthy (HTTP 503)' }], alert: [], graced: null },
    check: { ts: '2025-10-21T08:35:00.123456Z', lat: { latency_ms: 12.5, ok: false }, res: { cpu: 1, mem: 2, disk: 3 } },
  },
};
const NOW = Date.parse('2025-10-21T08:35:01Z');

let server: Server;
let base = '';
let status = 200;
let received: AmAlert[][] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      received.push(JSON.parse(body) as AmAlert[]);
      res.writeHead(status).end(status === 200 ? '' : 'down for maintenance');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  received = [];
  status = 200;
});

function alerting(mode: 'once' | 'daemon') {
  const { config } = validateConfig({ interval: '30s', cycle_timeout: '2m', health: { url: 'http://127.0.0.1:8080/health' }, alert: { alertmanager: { url: base } } }, { file: null, baseDir: '/' });
  const lines: string[] = [];
  const alerts = cycleEndAlerts({ mode, config: () => config, nowMs: () => NOW, deps, problem: (l) => lines.push(`problem ${l}`), info: (l) => lines.push(`info ${l}`) });
  const tell = async (outcome: AlertOutcome | null): Promise<void> => {
    alerts.observe({ outcome, endedMs: NOW });
    await alerts.idle();
  };
  return { config, lines, tell };
}

describe('cycleEndAlerts', () => {
  it.each([
    ['a check: two intervals', 'once', 60_000],
    ['the daemon: one interval plus cycle_timeout, at least three intervals', 'daemon', 150_000],
  ] as const)('%s', async (_name, mode, holdMs) => {
    const a = alerting(mode);
    expect(alertHoldMs(a.config, NOW, mode)).toBe(holdMs);
    await a.tell(firing);
    expect(received.map((alerts) => alerts.map((x) => x.endsAt))).toEqual([[formatTs(NOW + holdMs)]]);
    expect(a.lines).toEqual([]);
  });

  it('reports a failure once until it changes, then the recovery', async () => {
    const a = alerting('daemon');
    status = 503;
    await a.tell(firing);
    await a.tell(firing);
    status = 500;
    await a.tell(firing);
    status = 200;
    await a.tell(firing);
    expect(a.lines).toEqual([
      `problem alert: alertmanager ${base}: HTTP 503: down for maintenance`,
      `problem alert: alertmanager ${base}: HTTP 500: down for maintenance`,
      'info alert: alertmanager reachable again',
    ]);
    expect(received).toHaveLength(4);
  });

  it('a cycle that assessed nothing is sent nowhere', async () => {
    const a = alerting('daemon');
    await a.tell(null);
    await a.tell({ assessment: null });
    expect(received).toEqual([]);
    expect(a.lines).toEqual([]);
  });

  it('follows the config in force: a reload that removes the Alertmanager stops the pushes, one that sets it again resumes them', async () => {
    const make = (url: string) => validateConfig({ interval: '30s', health: { url: 'http://127.0.0.1:8080/health' }, alert: { alertmanager: { url } } }, { file: null, baseDir: '/' }).config;
    let config = make(base);
    const alerts = cycleEndAlerts({ mode: 'daemon', config: () => config, nowMs: () => NOW, deps, problem: () => undefined, info: () => undefined });
    const tell = async (): Promise<void> => {
      alerts.observe({ outcome: firing, endedMs: NOW });
      await alerts.idle();
    };
    await tell();
    await tell();
    expect(received).toHaveLength(2);
    config = make('');
    await tell();
    expect(received).toHaveLength(2);
    config = make(base);
    await tell();
    expect(received).toHaveLength(3);
  });
});
