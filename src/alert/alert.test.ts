import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeProcessRunner } from '../effects/process-runner.js';
import type { AnomalyTriggerRecord } from '../log/records.js';
import { alertText, runAlertCommand } from './alert-command.js';
import { postJson } from './post-json.js';
import { postWebhook } from './webhook.js';

const scripts = fileURLToPath(new URL('../../test/fixtures/scripts/', import.meta.url));
const node = process.execPath;
const runner = nodeProcessRunner({ clock: { monoMs: () => performance.now() } });
const trigger: AnomalyTriggerRecord = {
  event: 'anomaly_trigger',
  ts: '2025-10-21T08:35:00.123456Z',
  reasons: ['health_unhealthy (HTTP 503)'],
  latency: 12.5,
  score: null,
  cpu: 10.1,
  mem: 20.2,
  disk: 30.3,
};
const SECRET_PATH = '/services/T000/B000/XXXXSECRET';

describe('alertText', () => {
  const cases: Array<[string, object, string]> = [
    ['a trigger', trigger, 'anomaly-guard: anomaly_trigger — health_unhealthy (HTTP 503)'],
    ['a warning with two reasons', { event: 'resource_warning', reasons: ['disk_warning (93.2%)', 'mem_critical (91%)'] }, 'anomaly-guard: resource_warning — disk_warning (93.2%), mem_critical (91%)'],
    ['a heal that timed out', { event: 'self_heal', timed_out: true, signal: 'SIGTERM', duration_ms: 60000.5 }, 'anomaly-guard: self_heal — heal timed out after 60000.5 ms (SIGTERM)'],
    ['a heal that could not start', { event: 'self_heal', error: 'command not found: heal.sh' }, 'anomaly-guard: self_heal — heal did not start (command not found: heal.sh)'],
    ['a heal that worked', { event: 'self_heal', exit_code: 0, signal: null, timed_out: false, duration_ms: 812.25 }, 'anomaly-guard: self_heal — heal exited with code 0 after 812.25 ms'],
    ['a failed verify', { event: 'heal_verify', recovered: false, error: 'connection\nrefused' }, 'anomaly-guard: heal_verify — not recovered (connection refused)'],
    ['a suppressed heal', { event: 'heal_suppressed', why: 'rate_limit' }, 'anomaly-guard: heal_suppressed — rate_limit'],
    ['a cycle timeout', { event: 'cycle_timeout', timeout_ms: 60000 }, 'anomaly-guard: cycle_timeout — cycle aborted after 60000 ms'],
  ];
  it.each(cases)('phrases %s on one line', (_name, record, text) => {
    expect(alertText(record)).toBe(text);
  });
});

describe('runAlertCommand', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-alert-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the command the record as JSON on stdin', async () => {
    const out = join(dir, 'stdin.json');
    const result = await runAlertCommand(trigger, { command: [node, join(scripts, 'record-stdin.mjs'), out], timeoutMs: 30_000 }, { runner });
    expect(result).toEqual({ channel: 'command', ok: true, detail: null });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(trigger);
  });

  // Only the hanging command meets its timeout; the others get all the time a loaded machine needs to start Node.
  const failures: Array<[string, string[], number, (d: string) => string]> = [
    ['a failing command', [node, join(scripts, 'exit-code.mjs'), '3'], 30_000, () => 'alert command exited with code 3: failing with 3'],
    ['a hanging command', ['/bin/sh', join(scripts, 'hang.sh')], 300, () => 'alert command timed out after 300 ms'],
    ['a missing command', ['/nonexistent/notify-send'], 30_000, () => 'alert command: command not found: /nonexistent/notify-send'],
  ];
  it.each(failures)('reports %s as ok:false with a one-line detail', async (_name, command, timeoutMs, detail) => {
    const result = await runAlertCommand(trigger, { command, timeoutMs }, { runner });
    expect(result).toEqual({ channel: 'command', ok: false, detail: detail(dir) });
  });
});

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

// A webhook receiver on 127.0.0.1 answering with the given statuses in turn (the last one repeats).
async function receiver(statuses: number[]): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length, statuses.length) - 1] ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

describe('postWebhook', () => {
  let server: Server | undefined;
  const delays: number[] = [];
  const sleep = async (ms: number): Promise<void> => {
    delays.push(ms);
  };
  beforeEach(() => {
    delays.length = 0;
  });
  afterEach(async () => {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });

  it('POSTs the record as JSON with a one-line text, credentials from the URL', async () => {
    const r = await receiver([200]);
    server = r.server;
    const url = `http://hook:s3cret@127.0.0.1:${r.port}${SECRET_PATH}?token=abc`;
    const result = await postWebhook(trigger, { url, timeoutMs: 2000 }, { sleep });
    expect(result).toEqual({ channel: 'webhook', ok: true, detail: null });
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got).toMatchObject({ method: 'POST', url: `${SECRET_PATH}?token=abc` });
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers.authorization).toBe(`Basic ${Buffer.from('hook:s3cret').toString('base64')}`);
    expect(JSON.parse(got.body)).toEqual({ ...trigger, text: 'anomaly-guard: anomaly_trigger — health_unhealthy (HTTP 503)' });
  });

  const scenarios: Array<{ name: string; statuses: number[]; ok: boolean; requests: number; detail: (port: number) => string | null }> = [
    { name: '500 twice then 200 is delivered on the third attempt', statuses: [500, 500, 200], ok: true, requests: 3, detail: () => null },
    { name: 'a 503 every time gives up after 3 attempts', statuses: [503], ok: false, requests: 3, detail: (p) => `webhook http://127.0.0.1:${p}: HTTP 503 (3 attempts)` },
    { name: 'a 404 is not retried', statuses: [404], ok: false, requests: 1, detail: (p) => `webhook http://127.0.0.1:${p}: HTTP 404` },
  ];
  for (const s of scenarios) {
    it(s.name, async () => {
      const r = await receiver(s.statuses);
      server = r.server;
      const result = await postWebhook(trigger, { url: `http://127.0.0.1:${r.port}${SECRET_PATH}`, timeoutMs: 2000 }, { sleep });
      expect(result).toEqual({ channel: 'webhook', ok: s.ok, detail: s.detail(r.port) });
      expect(r.received).toHaveLength(s.requests);
      expect(delays).toHaveLength(s.requests - 1);
    });
  }

  it('reports a refused connection after 3 attempts without leaking the URL secrets', async () => {
    const r = await receiver([200]);
    await new Promise((resolve) => r.server.close(resolve)); // the port is now closed
    const url = `http://hook:pa55word@127.0.0.1:${r.port}${SECRET_PATH}?token=abc123`;
    const result = await postWebhook(trigger, { url, timeoutMs: 2000 }, { sleep });
    expect(result).toEqual({ channel: 'webhook', ok: false, detail: `webhook http://127.0.0.1:${r.port}: connection refused (3 attempts)` });
    for (const secret of ['pa55word', 'hook:', 'services', 'SECRET', 'token', 'abc123']) expect(result.detail).not.toContain(secret);
    expect(delays).toEqual([200, 400]);
  });

  it('times out on a receiver that never answers', async () => {
    const silent = createServer(() => {});
    server = silent;
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const result = await postWebhook(trigger, { url: `http://127.0.0.1:${port}${SECRET_PATH}`, timeoutMs: 200 }, { sleep });
    silent.closeAllConnections();
    expect(result).toEqual({ channel: 'webhook', ok: false, detail: `webhook http://127.0.0.1:${port}: timeout after 200 ms` });
  });

  it.each([
    ['not a URL', 'hooks.slack.com/services/T000/B000/XXXX', 'webhook: invalid URL (expected http://host[:port]/path or https://…)'],
    ['another scheme', 'ftp://user:pw@example.com/secret', 'webhook: unsupported scheme ftp (expected http or https)'],
  ])('refuses %s without echoing it', async (_name, url, detail) => {
    expect(await postWebhook(trigger, { url, timeoutMs: 200 }, { sleep })).toEqual({ channel: 'webhook', ok: false, detail });
  });

  it('stops when aborted', async () => {
    const result = await postWebhook(trigger, { url: 'http://127.0.0.1:9/x', timeoutMs: 200, signal: AbortSignal.abort() }, { sleep });
    expect(result).toEqual({ channel: 'webhook', ok: false, detail: 'webhook http://127.0.0.1:9: aborted' });
  });
});

describe('postJson', () => {
  it('quotes a refusing reply with its control characters escaped (Alertmanager failures reach terminals)', async () => {
    const hostile = createServer((_req, res) => res.writeHead(400).end('bad\u001b[2J\u009b31m\u0007 labels\r\nhere'));
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    const port = (hostile.address() as AddressInfo).port;
    try {
      expect(await postJson(new URL(`http://127.0.0.1:${port}/api/v2/alerts`), [], { timeoutMs: 2000 })).toEqual({ ok: false, detail: 'HTTP 400: bad\\x1b[2J\\x9b31m\\x07 labels here' });
    } finally {
      await new Promise((resolve) => hostile.close(resolve));
    }
  });
});
