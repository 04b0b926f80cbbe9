// The fleet (issue 12, docs/fleet.md): a real Prometheus, run from the shipped deploy/prometheus config
// (file_sd, the fleet's rules), scrapes two guard daemons, each guarding two targets of which one fails;
// a real Alertmanager receives from both. The per-target series carry `target` and each guard's own
// `instance`; the failing targets show probe_success 0 and the TargetDown rule goes pending for them; the
// guards' alerts arrive with `target` and the same `instance` Prometheus gives the guard. Skipped only
// when Prometheus or Alertmanager is not installed (.ci/run installs both).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { killAll, MIN_WAIT_MS, startDaemon } from '../daemon/daemon-process.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { binary, freePort, pollJson, startProc, stopAll, type Proc } from '../http/external.js';

const PROMETHEUS = binary('/usr/bin/prometheus');
const ALERTMANAGER = binary('/usr/bin/prometheus-alertmanager');
if (!PROMETHEUS || !ALERTMANAGER) console.warn('SKIPPED test/fleet/fleet.test.ts: /usr/bin/prometheus or /usr/bin/prometheus-alertmanager is missing (.ci/run installs both)');

const TOKEN = 'fleet-test-token-0123456789abcdef';
const RULES = resolve('deploy/prometheus/anomaly-guard.rules.yml');
type Sample = { metric: Record<string, string>; value: [number, string] };
type AmAlert = { labels: Record<string, string>; endsAt: string; status: { state: string } };

interface Guard {
  env: GuardEnv;
  instance: string;
  servers: { api: HealthServer; web: HealthServer };
}

describe.skipIf(!PROMETHEUS || !ALERTMANAGER)('a fleet: Prometheus and Alertmanager across two guards', () => {
  const guards: Guard[] = [];
  const dirs: string[] = [];
  let prom: Proc;
  let am: Proc;
  let promUrl: string;
  let amUrl: string;
  const query = (q: string, ok: (r: Sample[]) => boolean) =>
    pollJson(`Prometheus: ${q}`, `${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`, (b) => (ok(b.data?.result ?? []) ? (b.data.result as Sample[]) : undefined), { proc: prom, timeoutMs: MIN_WAIT_MS });
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  async function startAlertmanager(): Promise<void> {
    const dir = tempDir('ag-fleet-am-');
    writeFileSync(join(dir, 'alertmanager.yml'), 'route:\n  receiver: "null"\n  group_by: [instance, target]\nreceivers:\n  - name: "null"\n');
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = startProc(ALERTMANAGER!, [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn']);
    await pollJson('Alertmanager to be ready', `${amUrl}/api/v2/status`, (b) => typeof b.versionInfo === 'object', { proc: am, timeoutMs: MIN_WAIT_MS });
  }

  // A guard as docs/fleet.md lays it out: two targets, /metrics on its own port, its Alertmanager
  // instance the same host:port Prometheus scrapes.
  async function startGuard(): Promise<Guard> {
    const [api, web] = await Promise.all([startHealthServer(), startHealthServer()]);
    web.setMode({ kind: 'http', code: 503 });
    const env = guardEnv(api.url);
    const instance = `127.0.0.1:${await freePort()}`;
    env.writeConfig({
      interval: '1s',
      http: { listen: instance, token: TOKEN },
      alert: { alertmanager: { url: amUrl, instance } },
      targets: [
        { name: 'api', health: { url: api.url } },
        { name: 'web', health: { url: web.url } },
      ],
    });
    startDaemon(env.configFile, ['--quiet']);
    await pollJson(`the guard on ${instance}`, `http://${instance}/healthz`, (b) => b.ok === true && b.cycles >= 2, { timeoutMs: MIN_WAIT_MS });
    return { env, instance, servers: { api, web } };
  }

  // The shipped deploy/prometheus/prometheus.yml, its /etc/prometheus paths moved to a temp folder, every
  // interval 1s, its Alertmanager the test's, and the file_sd file listing the two guards.
  async function startPrometheus(): Promise<void> {
    const dir = tempDir('ag-fleet-prom-');
    const config = parse(readFileSync(resolve('deploy/prometheus/prometheus.yml'), 'utf8'));
    const job = config.scrape_configs[0];
    config.global = { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' };
    copyFileSync(RULES, join(dir, 'rules.yml'));
    config.rule_files = [join(dir, 'rules.yml')];
    config.alerting.alertmanagers[0].static_configs = [{ targets: [amUrl.replace('http://', '')] }];
    writeFileSync(join(dir, 'token'), TOKEN);
    job.authorization.credentials_file = join(dir, 'token');
    mkdirSync(join(dir, 'file_sd'));
    writeFileSync(join(dir, 'file_sd', 'guards.json'), JSON.stringify([{ targets: guards.map((g) => g.instance), labels: { env: 'test' } }]));
    job.file_sd_configs[0].files = [join(dir, 'file_sd', '*.json')];
    writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
    const port = await freePort();
    promUrl = `http://127.0.0.1:${port}`;
    prom = startProc(PROMETHEUS!, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn']);
  }

  beforeAll(async () => {
    await startAlertmanager();
    guards.push(await startGuard(), await startGuard());
    await startPrometheus();
    await query('up{job="anomaly-guard"} == 1', (r) => r.length === 2);
  }, 4 * MIN_WAIT_MS);

  afterAll(async () => {
    killAll();
    await stopAll();
    await Promise.all(guards.flatMap((g) => [g.servers.api.close(), g.servers.web.close()]));
    for (const g of guards) g.env.cleanup();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('Prometheus holds each target\'s series with `target` and its guard\'s `instance`; the failing targets\' probes read 0', async () => {
    const series = await query('anomaly_guard_probe_success{job="anomaly-guard"}', (r) => r.length === 4);
    const seen = series.map((s) => [s.metric.instance, s.metric.target, s.value[1]]).sort();
    const expected = guards.flatMap((g) => [[g.instance, 'api', '1'], [g.instance, 'web', '0']]).sort();
    expect(seen).toEqual(expected);
    expect(new Set(series.map((s) => s.metric.instance)).size).toBe(2);
    // The labels of the file_sd group and of the shipped relabelling.
    expect(series.every((s) => s.metric.env === 'test' && s.metric.host === '127.0.0.1')).toBe(true);
    // The failing target's trigger counter, per target and guard.
    const triggers = await query('anomaly_guard_triggers_total{reason="health_unhealthy"} > 0', (r) => r.length === 2);
    expect(triggers.map((s) => s.metric.target)).toEqual(['web', 'web']);
    // No series without a target and no URL anywhere in the labels.
    expect(await query('count(anomaly_guard_probe_success{target=""}) or vector(0)', (r) => r.length === 1)).toMatchObject([{ value: [expect.any(Number), '0'] }]);
    expect(JSON.stringify(series)).not.toContain('/health');
  });

  it('the shipped AnomalyGuardTargetDown rule goes pending for each guard\'s failing target, not the healthy ones', async () => {
    const body = await pollJson(
      'AnomalyGuardTargetDown pending for both web targets',
      `${promUrl}/api/v1/alerts`,
      (b) => {
        const down = (b.data?.alerts ?? []).filter((a: { labels: Record<string, string> }) => a.labels.alertname === 'AnomalyGuardTargetDown');
        return down.length === 2 ? down : undefined;
      },
      { proc: prom, timeoutMs: MIN_WAIT_MS },
    );
    expect(body.map((a: { labels: Record<string, string>; state: string }) => [a.labels.instance, a.labels.target, a.state]).sort()).toEqual(guards.map((g) => [g.instance, 'web', 'pending']).sort());
  });

  it('Alertmanager holds each guard\'s alert for its failing target, with `target` and the guard\'s instance, still active', async () => {
    const fromGuards = (list: AmAlert[]) => list.filter((a) => a.labels.alertname === 'AnomalyGuardUnhealthy' && a.status.state === 'active');
    const alerts = await pollJson('both guards\' alerts', `${amUrl}/api/v2/alerts`, (list: AmAlert[]) => (fromGuards(list).length === 2 ? fromGuards(list) : undefined), { proc: am, timeoutMs: MIN_WAIT_MS });
    expect(alerts.map((a) => a.labels).sort((a, b) => (a.instance! < b.instance! ? -1 : 1))).toEqual(
      guards.map((g) => ({ alertname: 'AnomalyGuardUnhealthy', severity: 'critical', reason: 'health_unhealthy', instance: g.instance, target: 'web' })).sort((a, b) => (a.instance < b.instance ? -1 : 1)),
    );
    // Each guard's healthy target keeps cycling beside the failing one: its cycles must not resolve the
    // other target's alert. Wait for both guards to run more cycles, then the alerts are still active.
    const cyclesNow = await Promise.all(guards.map(async (g) => ((await (await fetch(`http://${g.instance}/healthz`)).json()) as { cycles: number }).cycles));
    for (const [i, g] of guards.entries()) await pollJson(`more cycles on ${g.instance}`, `http://${g.instance}/healthz`, (b) => b.cycles >= cyclesNow[i]! + 4, { timeoutMs: MIN_WAIT_MS });
    const later = fromGuards((await (await fetch(`${amUrl}/api/v2/alerts`)).json()) as AmAlert[]);
    expect(later.map((a) => `${a.labels.instance} ${a.labels.target}`).sort()).toEqual(guards.map((g) => `${g.instance} web`).sort());
    expect(later.every((a) => Date.parse(a.endsAt) > Date.now())).toBe(true);
  });
});
