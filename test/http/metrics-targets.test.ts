// /metrics of a guard with `targets:` (issue 12): every per-target series carries `target="<name>"` (never
// the URL), each target's figures are its own after real cycles against real health servers (one
// failing), a target a reload removed loses its series, and `promtool check metrics` accepts it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuardConfig } from '../../src/config/config.js';
import { validateConfig } from '../../src/config/load.js';
import { runCycle } from '../../src/cycle/check-cycle.js';
import { realCycleDeps } from '../../src/cli/real-deps.js';
import { guardMetrics, type GuardMetrics } from '../../src/http/metrics.js';
import { PROC_IDLE } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { binary } from './external.js';

const PROMTOOL = binary('/usr/bin/promtool');
let api: HealthServer;
let web: HealthServer;
let dir: string;

beforeAll(async () => {
  [api, web] = await Promise.all([startHealthServer(), startHealthServer()]);
  web.setMode({ kind: 'http', code: 503 });
  dir = mkdtempSync(join(tmpdir(), 'ag-metrics-targets-'));
});
afterAll(async () => {
  await Promise.all([api?.close(), web?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function configOf(targets: { name: string; url: string }[]): GuardConfig {
  const raw = {
    log_file: 'logs/guard.ndjson',
    health: { url: 'http://127.0.0.1:9/health', timeout: '2s' },
    resources: { procfs: PROC_IDLE, cpu_sample: '20ms' },
    heal: { verify_after: '0s', command: ['false'] },
    targets: targets.map((t) => ({ name: t.name, health: { url: t.url } })),
  };
  return validateConfig(raw, { file: null, baseDir: dir }).config;
}

// One real cycle of each target of `config`, told to the metrics as the daemon tells them.
async function cycleAll(metrics: GuardMetrics, config: GuardConfig, only: GuardConfig[] = config.targets): Promise<void> {
  for (const target of only) {
    const deps = realCycleDeps(target, () => undefined);
    const startedMs = Date.now();
    try {
      const result = await runCycle(target, deps);
      metrics.observe({ cycle: 1, config: target, startedMs, endedMs: Date.now(), durationMs: Date.now() - startedMs, result, error: null });
    } finally {
      deps.close();
    }
  }
}

const valueOf = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('/metrics with targets', () => {
  it('each target has its own series, labelled by name; the failing one shows probe_success 0 and its trigger', async () => {
    const config = configOf([{ name: 'api', url: api.url }, { name: 'web', url: web.url }]);
    const metrics = guardMetrics({ version: '0.1.0-test', startedAtMs: Date.now(), config: () => config });
    const before = await metrics.registry.metrics();
    // Counters exist at 0 from the start (rate() sees the first increment); gauges wait for a cycle.
    expect(valueOf(before, 'anomaly_guard_cycles_total{verdict="critical",target="web"}')).toBe(0);
    expect(valueOf(before, 'anomaly_guard_probe_success{target="api"}')).toBeUndefined();
    await cycleAll(metrics, config);
    const text = await metrics.registry.metrics();
    expect(valueOf(text, 'anomaly_guard_probe_success{target="api"}')).toBe(1);
    expect(valueOf(text, 'anomaly_guard_probe_success{target="web"}')).toBe(0);
    expect(valueOf(text, 'anomaly_guard_triggers_total{reason="health_unhealthy",target="web"}')).toBe(1);
    expect(valueOf(text, 'anomaly_guard_triggers_total{reason="health_unhealthy",target="api"}')).toBe(0);
    expect(valueOf(text, 'anomaly_guard_heals_total{outcome="failed",target="web"}')).toBe(1);
    expect(valueOf(text, 'anomaly_guard_cycles_total{verdict="ok",target="api"}')).toBe(1);
    expect(valueOf(text, 'anomaly_guard_probe_duration_seconds_count{target="web"}')).toBe(1);
    expect(valueOf(text, 'anomaly_guard_last_successful_cycle_timestamp_seconds{target="api"}')).toBeCloseTo(Date.now() / 1000, -1);
    expect(valueOf(text, 'anomaly_guard_build_info{version="0.1.0-test"}')).toBe(1);
    // No series of the guard's own without a target, and never a URL in a label.
    const series = text.split('\n').filter((l) => l.startsWith('anomaly_guard_') && !l.startsWith('anomaly_guard_build_info'));
    expect(series.filter((l) => !l.includes('target="'))).toEqual([]);
    expect(text).not.toContain('http://');
    expect(text).not.toContain(`:${api.port}`);
  });

  it('a reload that removes a target drops its series; its cycle still in flight is not counted', async () => {
    let config = configOf([{ name: 'api', url: api.url }, { name: 'web', url: web.url }]);
    const metrics = guardMetrics({ version: '0.1.0-test', startedAtMs: Date.now(), config: () => config });
    await cycleAll(metrics, config);
    const removed = config.targets[1]!;
    config = configOf([{ name: 'api', url: api.url }, { name: 'db', url: api.url }]);
    await cycleAll(metrics, config, [config.targets[0]!]);
    await cycleAll(metrics, config, [removed]); // in flight at the reload, ended after it
    const text = await metrics.registry.metrics();
    expect(text).not.toContain('target="web"');
    expect(valueOf(text, 'anomaly_guard_cycles_total{verdict="ok",target="api"}')).toBe(2);
    expect(valueOf(text, 'anomaly_guard_cycles_total{verdict="ok",target="db"}')).toBe(0); // the new target, preset
  });

  it.skipIf(!PROMTOOL)('promtool check metrics accepts the labelled exposition', async () => {
    const config = configOf([{ name: 'api', url: api.url }, { name: 'web', url: web.url }]);
    const metrics = guardMetrics({ version: '0.1.0-test', startedAtMs: Date.now(), config: () => config });
    await cycleAll(metrics, config);
    const run = spawnSync(PROMTOOL!, ['check', 'metrics'], { input: await metrics.registry.metrics(), encoding: 'utf8', timeout: 10_000 });
    expect(`${run.stdout}${run.stderr}`).toBe('');
    expect(run.status).toBe(0);
  });
});
