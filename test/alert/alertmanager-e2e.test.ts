// The real Alertmanager (API v2) receiving the guard's alerts: a daemon (interval 1s) guarding a real
// health server that turns Degraded fires AnomalyGuardUnhealthy with the documented labels, and the alert
// resolves once the service is healthy again; a one-shot check pushes too. Skipped only when Alertmanager
// is not installed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startDaemon } from '../daemon/daemon-process.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { binary, freePort, pollJson, startProc, stopAll, type Proc } from '../http/external.js';

const ALERTMANAGER = binary('/usr/bin/prometheus-alertmanager');
if (!ALERTMANAGER) console.warn('SKIPPED test/alert/alertmanager-e2e.test.ts: /usr/bin/prometheus-alertmanager is missing (apt-get install prometheus-alertmanager; .ci/run installs it)');

type AmAlert = { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; endsAt: string; status: { state: string } };

describe.skipIf(!ALERTMANAGER)('Alertmanager receiving the guard\'s alerts', () => {
  let health: HealthServer;
  let am: Proc;
  let amDir: string;
  let amUrl: string;
  const envs: GuardEnv[] = [];
  const alerts = (instance: string) => async (): Promise<AmAlert[]> => {
    const res = await fetch(`${amUrl}/api/v2/alerts`);
    return ((await res.json()) as AmAlert[]).filter((a) => a.labels.instance === instance);
  };

  beforeAll(async () => {
    health = await startHealthServer();
    amDir = mkdtempSync(join(tmpdir(), 'ag-am-'));
    writeFileSync(join(amDir, 'alertmanager.yml'), 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n');
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = startProc(ALERTMANAGER!, [`--config.file=${join(amDir, 'alertmanager.yml')}`, `--storage.path=${join(amDir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn']);
    await pollJson('Alertmanager to be ready', `${amUrl}/api/v2/status`, (b) => typeof b.versionInfo === 'object', { proc: am, timeoutMs: 20_000 });
  }, 30_000);

  afterAll(async () => {
    killAll();
    await stopAll();
    await health?.close();
    for (const env of envs) env.cleanup();
    if (amDir) rmSync(amDir, { recursive: true, force: true });
  });

  it('a one-shot check pushes the firing alert, lasting two intervals', async () => {
    const env = guardEnv(health.url);
    envs.push(env);
    env.writeConfig({ interval: '5m', alert: { alertmanager: { url: amUrl, instance: 'one-shot' } } });
    health.setMode({ kind: 'http', code: 503 });
    try {
      const run = await env.run(['check']);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe('');
    } finally {
      health.setMode({ kind: 'healthy' });
    }
    const [alert] = await alerts('one-shot')();
    expect(alert?.labels).toEqual({ alertname: 'AnomalyGuardUnhealthy', severity: 'critical', reason: 'health_unhealthy', instance: 'one-shot' });
    const lasts = Date.parse(alert!.endsAt) - Date.parse(alert!.startsAt);
    expect(lasts).toBeGreaterThan(590_000);
    expect(lasts).toBeLessThan(610_000);
  });

  it('the daemon (instance by default: this host\'s name and the port) fires AnomalyGuardUnhealthy while the service is Degraded and resolves it when healthy', async () => {
    const env = guardEnv(health.url);
    envs.push(env);
    env.writeConfig({ interval: '1s', alert: { alertmanager: { url: amUrl } } });
    // The health URL is on 127.0.0.1, the same on every host: the default instance names this host instead.
    const instance = `${hostname()}:${health.port}`;
    startDaemon(env.configFile, ['--quiet']);
    await pollJson('a first ok check', `${amUrl}/api/v2/status`, () => env.records().some((r) => (r.lat as { ok?: boolean } | undefined)?.ok === true));
    expect(await alerts(instance)()).toEqual([]);
    health.setMode({ kind: 'status', status: 'Degraded' });
    const firing = await pollJson('the alert to fire', `${amUrl}/api/v2/alerts`, (list: AmAlert[]) => list.find((a) => a.labels.instance === instance && a.status.state === 'active'));
    expect(firing.labels).toEqual({ alertname: 'AnomalyGuardUnhealthy', severity: 'critical', reason: 'health_unhealthy', instance });
    expect(firing.annotations.summary).toBe(`health_unhealthy on ${instance}`);
    expect(firing.annotations.description).toMatch(/^health_unhealthy \(status=Degraded\); the guard heals it/);
    expect(Date.parse(firing.endsAt)).toBeGreaterThan(Date.now());
    health.setMode({ kind: 'healthy' });
    await pollJson('the alert to resolve', `${amUrl}/api/v2/alerts`, (list: AmAlert[]) => {
      const mine = list.filter((a) => a.labels.instance === instance);
      return mine.every((a) => Date.parse(a.endsAt) <= Date.now() || a.status.state !== 'active');
    });
  });

  it('a daemon started without an Alertmanager pushes once a reload (SIGHUP) sets one up', async () => {
    const own = await startHealthServer();
    try {
      const env = guardEnv(own.url);
      envs.push(env);
      env.writeConfig({ interval: '1s' });
      own.setMode({ kind: 'status', status: 'Degraded' });
      const daemon = startDaemon(env.configFile, ['--quiet']);
      await pollJson('two failed checks', `${amUrl}/api/v2/status`, () => env.records().filter((r) => (r.lat as { ok?: boolean } | undefined)?.ok === false).length >= 2);
      expect(await alerts('reloaded')()).toEqual([]);
      env.writeConfig({ interval: '1s', alert: { alertmanager: { url: amUrl, instance: 'reloaded' } } });
      daemon.child.kill('SIGHUP');
      const firing = await pollJson('the alert to fire after the reload', `${amUrl}/api/v2/alerts`, (list: AmAlert[]) => list.find((a) => a.labels.instance === 'reloaded' && a.status.state === 'active'));
      expect(firing.labels).toEqual({ alertname: 'AnomalyGuardUnhealthy', severity: 'critical', reason: 'health_unhealthy', instance: 'reloaded' });
    } finally {
      await own.close();
    }
  });
});
