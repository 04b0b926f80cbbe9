// The opt-in heal-safety controls through the real `check`, their state read from a seeded log:
// confirmation, grace, backoff, the exhaustion latch and its reset, alert dedup, recovery, heartbeat.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, PROC_BUSY, SCRIPTS, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const node = process.execPath;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace('Z', '000Z');
const check = (msAgo: number, reasons?: string[]) => ({ ts: ago(msAgo), lat: { latency_ms: 10, ok: !reasons }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null, ...(reasons ? { reasons } : {}) });
const trigger = (msAgo: number, reasons = ['health_unhealthy (status=Degraded)']) => ({ event: 'anomaly_trigger', ts: ago(msAgo), reasons, latency: 10, score: null, cpu: 1, mem: 1, disk: 1 });
const heal = (msAgo: number) => ({ event: 'self_heal', ts: ago(msAgo), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1, stdout_tail: '', stderr_tail: '' });
const events = (e: GuardEnv) => e.records().map((r) => (r.event as string | undefined) ?? 'check');

describe('health.confirm: re-probes before declaring unhealthy', () => {
  let flaky: Server;
  let failures = 0;
  let url = '';
  beforeAll(async () => {
    flaky = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      if (failures > 0) {
        failures -= 1;
        res.statusCode = 503;
        return res.end('{}');
      }
      res.end('{"status":"Healthy"}');
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/health`;
  });
  afterAll(() => new Promise<void>((r) => flaky.close(() => r())));

  it('one failed probe followed by a good one is healthy (attempts: 2)', async () => {
    failures = 1;
    env = guardEnv(url);
    env.writeConfig({ health: { confirm: 2, confirm_spacing: '50ms' } });
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    expect(env.records()).toHaveLength(1);
    expect(env.records()[0]!.lat).toMatchObject({ ok: true, attempts: 2 });
  });

  it('unhealthy only when every probe failed (attempts: 3)', async () => {
    failures = 5;
    env = guardEnv(url);
    env.writeConfig({ health: { confirm: 2, confirm_spacing: '50ms' } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(env.records()[0]!.lat).toMatchObject({ ok: false, attempts: 3, error: 'HTTP 503' });
  });
});

describe('resources.confirm / latency.confirm: N of the last M cycles', () => {
  it('holds a first mem finding back (unconfirmed, exit 1) and fires when it is seen 2 of 3 times', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ resources: { procfs: PROC_BUSY, confirm: 2, confirm_of: 3 } });
    const first = await env.run(['check']);
    expect(first.code).toBe(1);
    expect(events(env)).toEqual(['check', 'heal_suppressed']);
    expect(env.records()[1]).toMatchObject({ why: 'unconfirmed', detail: 'mem_critical (95.0%): seen in 1 of the last 3 cycles, 2 needed' });
    const second = await env.run(['check']);
    expect(second.code).toBe(2);
    expect(events(env).slice(2)).toEqual(['check', 'anomaly_trigger', 'heal_suppressed']);
  });
});

describe('heal.grace: findings right after a heal do not count', () => {
  it('holds back a heal within the grace (exit 1, why grace), and heals after it', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Starting' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], grace: '60s' } });
    env.seedLog([heal(10_000)]);
    const run = await env.run(['check']);
    expect(run.code).toBe(1);
    expect(events(env)).toEqual(['self_heal', 'check', 'heal_suppressed']);
    // 10 s after the heal when the check began, or a little more on a slow machine.
    const detail = String(env.records()[2]!.detail);
    expect(detail).toMatch(/^health_unhealthy \(status=Starting\): within heal\.grace, \d+s after the last heal$/);
    expect(Number(/, (\d+)s after/.exec(detail)?.[1])).toBeGreaterThanOrEqual(10);
  });
});

describe('a heal interrupted by a crash (heal_start without self_heal)', () => {
  it('counts as a heal: no second heal for the same trigger within the cooldown', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], cooldown: '10m' } });
    env.seedLog([check(20_000, ['x']), trigger(20_000), { event: 'heal_start', ts: ago(19_000), command: [node, '-e', '0'] }]);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_suppressed', why: 'cooldown' });
  });

  it('a heal_start followed by its self_heal counts once', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], max_per_hour: 2 } });
    env.seedLog([{ event: 'heal_start', ts: ago(60_000), command: ['x'] }, heal(59_000)]);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'self_heal' });
  });
});

describe('heal.backoff: repeated heals of one incident wait 1, 2, 4 … cycles', () => {
  it('waits 2 cycles after the 2nd heal, then heals', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], backoff: true } });
    env.seedLog([check(120_000, ['x']), trigger(120_000), heal(119_000), check(60_000, ['x']), trigger(60_000), heal(59_000)]);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_suppressed', why: 'backoff', detail: 'heal 3 of this incident waits 2 cycles after the last heal; 1 so far' });
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'self_heal', exit_code: 0 });
  });

  it('starts over after backoff_reset without a trigger', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], backoff: true, backoff_reset: '30s' } });
    env.seedLog([trigger(120_000), heal(119_000), trigger(60_000), heal(59_000)]);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'self_heal' });
  });
});

describe('heal.stop_when_exhausted: the latch, heal-reset and the healthy resume', () => {
  const sixHeals = [50, 40, 30, 20, 10, 5].map((m) => heal(m * 60_000));

  it('latches when the budget is spent, stays off, and heal-reset turns healing back on', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], stop_when_exhausted: true } });
    env.seedLog(sixHeals);
    await env.run(['check']);
    expect(env.records().slice(-2)).toMatchObject([{ why: 'rate_limit' }, { event: 'heal_budget_exhausted', latched: true, heals_last_hour: 6 }]);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_suppressed', why: 'exhausted' });
    const reset = await env.run(['heal-reset', '--reason', 'fixed the disk']);
    expect(reset.code).toBe(0);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_resumed', why: 'manual', detail: 'fixed the disk' });
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'self_heal', exit_code: 0 });
  });

  it('resumes by itself after resume_after without a trigger', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ heal: { command: [node, '-e', '0'], stop_when_exhausted: true, resume_after: '30m' } });
    env.seedLog([trigger(40 * 60_000), { event: 'heal_budget_exhausted', ts: ago(40 * 60_000), heals_last_hour: 6, max_per_hour: 6, latched: true }]);
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    expect(events(env).slice(2)).toEqual(['check', 'heal_resumed', 'recovered']);
    expect(env.records()[3]).toMatchObject({ why: 'healthy' });
  });
});

describe('alerts: what pages, and alert.repeat', () => {
  it('sends a repeated warning once per alert.repeat, with an alert_sent record', async () => {
    env = guardEnv(server.url);
    const out = join(env.dir, 'alerts.ndjson');
    const script = `process.stdin.on('data', (d) => require('fs').appendFileSync(${JSON.stringify(out)}, d))`;
    env.writeConfig({ resources: { procfs: PROC_BUSY }, actions: { mem: 'alert' }, alert: { command: [node, '-e', script] } });
    await env.run(['check']);
    await env.run(['check']);
    const sent = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(sent.map((r) => r.event)).toEqual(['resource_warning']);
    expect(env.records().filter((r) => r.event === 'alert_sent')).toEqual([expect.objectContaining({ key: 'resource_warning:mem', channels: ['command'], ok: true })]);
  });

  it('alert.repeat 0s sends every time; a failed heal and its verification page too', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'http', code: 500 });
    const out = join(env.dir, 'alerts.ndjson');
    const script = `process.stdin.on('data', (d) => require('fs').appendFileSync(${JSON.stringify(out)}, d))`;
    env.writeConfig({ alert: { command: [node, '-e', script], repeat: '0s' }, heal: { command: [node, join(SCRIPTS, 'exit-code.mjs'), '1'], verify_after: '50ms' } });
    await env.run(['check']);
    await env.run(['check']);
    const sent = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    expect(sent.filter((e) => e === 'anomaly_trigger')).toHaveLength(2);
    expect(sent).toContain('self_heal');
    expect(sent).toContain('heal_verify');
  });

  it('logs recovered once when an open incident clears', async () => {
    env = guardEnv(server.url);
    env.seedLog([check(300_000, ['health_unhealthy (HTTP 503)']), trigger(300_000, ['health_unhealthy (HTTP 503)'])]);
    await env.run(['check']);
    await env.run(['check']);
    const recovered = env.records().filter((r) => r.event === 'recovered');
    expect(recovered).toHaveLength(1);
    expect(recovered[0]!.cleared).toEqual(['health_unhealthy (HTTP 503)']);
    expect(recovered[0]!.duration_ms).toBeGreaterThanOrEqual(300_000);
    expect(recovered[0]!.duration_ms).toBeLessThan(330_000);
  });

  it('names every reason of the incident as cleared, not only the newest record\'s (a hang that came with a CPU warning)', async () => {
    env = guardEnv(server.url);
    env.seedLog([
      check(300_000, ['health_unhealthy (timeout after 10000 ms)', 'cpu_critical (95.0%)']),
      trigger(300_000, ['health_unhealthy (timeout after 10000 ms)', 'cpu_critical (95.0%)']),
      check(200_000, ['cpu_critical (96.0%)']),
      trigger(200_000, ['cpu_critical (96.0%)']),
    ]);
    await env.run(['check']);
    const recovered = env.records().find((r) => r.event === 'recovered');
    expect([...(recovered!.cleared as string[])].sort()).toEqual(['cpu_critical (96.0%)', 'health_unhealthy (timeout after 10000 ms)']);
  });
});

describe('heartbeat.url', () => {
  it('is called after every completed cycle; a failing one only warns', async () => {
    env = guardEnv(server.url);
    const beat = server.url.replace('/health', '/ok');
    env.writeConfig({ heartbeat: { url: beat } });
    const before = server.received.filter((r) => r.path === '/ok').length;
    await env.run(['check']);
    await env.run(['check']);
    expect(server.received.filter((r) => r.path === '/ok').length - before).toBe(2);
    env.writeConfig({ heartbeat: { url: 'http://127.0.0.1:9/beat/secret-uuid' } });
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('heartbeat to http://127.0.0.1:9 failed: connection refused');
    expect(run.stderr).not.toContain('secret-uuid');
  });
});

