// The real Prometheus scrapes a running daemon (`anomaly-guard run`, interval 1s, http.listen on a free
// loopback port, a bearer token): the series exist with sane values, a fault shows in triggers_total,
// and `promtool check metrics` accepts the exposition. Skipped only when Prometheus is not installed.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAll, startDaemon } from '../daemon/daemon-process.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { binary, freePort, pollJson, startProc, stopAll, type Proc } from './external.js';

const PROMETHEUS = binary('/usr/bin/prometheus');
const PROMTOOL = binary('/usr/bin/promtool');
const TOKEN = 'prometheus-test-token-0123456789';
if (!PROMETHEUS || !PROMTOOL) console.warn('SKIPPED test/http/prometheus.test.ts: /usr/bin/prometheus or /usr/bin/promtool is missing (apt-get install prometheus; .ci/run installs it)');

describe.skipIf(!PROMETHEUS || !PROMTOOL)('Prometheus scraping the daemon', () => {
  let health: HealthServer;
  let env: GuardEnv;
  let prom: Proc;
  let promDir: string;
  let guardUrl: string;
  let promUrl: string;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
    return ((await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  };
  const valueOf = (q: string) => pollJson(q, `${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`, (b) => b.data?.result?.[0] && Number(b.data.result[0].value[1]), { proc: prom });

  beforeAll(async () => {
    health = await startHealthServer();
    env = guardEnv(health.url);
    const guardPort = await freePort();
    guardUrl = `http://127.0.0.1:${guardPort}`;
    env.writeConfig({ interval: '1s', http: { listen: `127.0.0.1:${guardPort}`, token: TOKEN } });
    startDaemon(env.configFile, ['--quiet']);
    await pollJson('the daemon /healthz', `${guardUrl}/healthz`, (b) => b.ok === true && b.cycles >= 1);
    promDir = mkdtempSync(join(tmpdir(), 'ag-prom-'));
    writeFileSync(
      join(promDir, 'prometheus.yml'),
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        'scrape_configs:',
        '  - job_name: anomaly-guard',
        '    authorization:',
        `      credentials: ${TOKEN}`,
        '    static_configs:',
        `      - targets: ["127.0.0.1:${guardPort}"]`,
        '',
      ].join('\n'),
    );
    const promPort = await freePort();
    promUrl = `http://127.0.0.1:${promPort}`;
    prom = startProc(PROMETHEUS!, [`--config.file=${join(promDir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(promDir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=warn']);
    await pollJson('Prometheus to scrape the guard', `${promUrl}/api/v1/query?query=up`, (b) => b.data?.result?.some((r: { value: [number, string] }) => r.value[1] === '1'), { proc: prom, timeoutMs: 20_000 });
  }, 40_000);

  afterAll(async () => {
    await stopAll();
    killAll();
    await health?.close();
    env?.cleanup();
    if (promDir) rmSync(promDir, { recursive: true, force: true });
  });

  it('the series exist with sane values', async () => {
    expect(await valueOf('up{job="anomaly-guard"}')).toBe(1);
    expect(await valueOf('anomaly_guard_build_info')).toBe(1);
    expect((await query('anomaly_guard_build_info'))[0]?.metric.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(await valueOf('anomaly_guard_probe_success')).toBe(1);
    for (const ratio of ['cpu_ratio', 'memory_ratio', 'disk_ratio']) {
      const v = await valueOf(`anomaly_guard_${ratio}`);
      expect(v, ratio).toBeGreaterThanOrEqual(0);
      expect(v, ratio).toBeLessThanOrEqual(1);
    }
    expect(await valueOf('anomaly_guard_probe_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(await valueOf('time() - anomaly_guard_last_successful_cycle_timestamp_seconds')).toBeLessThan(30);
    expect(await valueOf('anomaly_guard_cycle_duration_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(await valueOf('process_resident_memory_bytes')).toBeGreaterThan(1e6);
  });

  it('an injected fault shows in triggers_total{reason="health_unhealthy"} and probe_success 0', async () => {
    health.setMode({ kind: 'status', status: 'Degraded' });
    try {
      const triggers = await pollJson('a trigger scraped', `${promUrl}/api/v1/query?query=${encodeURIComponent('anomaly_guard_triggers_total{reason="health_unhealthy"} > 0')}`, (b) => b.data?.result?.[0] && Number(b.data.result[0].value[1]), { proc: prom });
      expect(triggers).toBeGreaterThanOrEqual(1);
      expect(await valueOf('min_over_time(anomaly_guard_probe_success[1m])')).toBe(0);
    } finally {
      health.setMode({ kind: 'healthy' });
    }
  });

  it('promtool check metrics accepts the exposition', async () => {
    const text = await (await fetch(`${guardUrl}/metrics`, { headers: auth })).text();
    const run = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 10_000 });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });
});
