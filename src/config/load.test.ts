// Valid configs: defaults without a file, durations in ms, paths resolved against the config's folder,
// and where the config is found (-c, $ANOMALY_GUARD_CONFIG, ./anomaly-guard.yaml|yml|json).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuardConfig } from './config.js';
import { findConfigFile, loadConfig } from './load.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ag-load-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const path = join(tmp, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** The defaults of CONTRACT.md under the default profile (safe), normalised, for a config found in (or a working folder of) `dir`. */
function defaults(dir: string, file: string | null): GuardConfig {
  return {
    file,
    baseDir: dir,
    target: null,
    targets: [],
    profile: 'safe',
    intervalMs: 300_000,
    schedule: null,
    cycleTimeoutMs: 60_000,
    maxConcurrentProbes: 256,
    logFile: join(dir, 'logs/anomaly_guard.ndjson'),
    schedulerLog: join(dir, 'logs/scheduler.log'),
    health: { url: 'http://127.0.0.1:8080/health', timeoutMs: 10_000, expectStatus: 'Healthy', conditions: [], send: '', expect: '', headers: {}, caFile: null, confirm: 2, confirmSpacingMs: 1000, keepAlive: false },
    latency: { window: 50, sigma: 3, minSamples: 10, minStdevMs: 0.5, detector: 'zscore', confirm: 1, confirmOf: 1, confirmProbes: 2, learn: 'normal', onBusyHost: 'alert' },
    resources: { procfs: '/proc', diskPath: '/', cpuSampleMs: 1000, cpuOver: 'interval', cpuCritical: 90, memCritical: 90, diskWarning: 90, cgroup: null, confirm: 2, confirmOf: 3, service: null },
    actions: { unhealthy: 'heal', latency: 'heal', cpu: 'alert', mem: 'alert', disk: 'alert' },
    heal: {
      command: [],
      timeoutMs: 30_000,
      killGraceMs: 5000,
      cooldownMs: 0,
      maxPerHour: 6,
      verifyAfterMs: 10_000,
      graceMs: 30_000,
      backoff: true,
      backoffMax: 8,
      backoffResetMs: 1_800_000,
      stopWhenExhausted: true,
      resumeAfterMs: 1_800_000,
    },
    alert: { command: [], webhook: '', timeoutMs: 10_000, repeatMs: 3_600_000, alertmanager: { url: '', timeoutMs: 10_000, instance: null } },
    heartbeat: { url: '', timeoutMs: 10_000 },
    http: { listen: null, token: null, allowedHosts: [] },
  };
}

/** The same under `profile: seed`: the seed's table read literally, exactly as before profiles existed. */
function seedDefaults(dir: string, file: string | null): GuardConfig {
  const d = defaults(dir, file);
  return {
    ...d,
    profile: 'seed',
    health: { ...d.health, confirm: 0 },
    latency: { ...d.latency, confirmProbes: 0, learn: 'all', onBusyHost: 'heal' },
    resources: { ...d.resources, cpuOver: 'sample', confirm: 1, confirmOf: 1 },
    actions: { unhealthy: 'heal', latency: 'heal', cpu: 'heal', mem: 'heal', disk: 'alert' },
    heal: { ...d.heal, timeoutMs: 60_000, graceMs: 0, backoff: false, stopWhenExhausted: false },
  };
}

describe('loadConfig: valid configs', () => {
  it('without a file: the defaults, relative paths against the working folder', async () => {
    expect(await loadConfig({ env: {}, cwd: tmp })).toEqual({ config: defaults(tmp, null), warnings: [] });
  });

  it('profile: seed takes the seed\'s literal defaults', async () => {
    const file = write('c.yaml', 'profile: seed\n');
    expect(await loadConfig({ file, env: {} })).toEqual({ config: seedDefaults(tmp, file), warnings: [] });
  });

  it('a key written in the file wins over its profile\'s default, in either profile', async () => {
    const safe = await loadConfig({ file: write('a.yaml', 'health:\n  confirm: 0\nactions:\n  cpu: heal\nheal:\n  backoff: false\n'), env: {} });
    expect([safe.config.health.confirm, safe.config.actions.cpu, safe.config.heal.backoff, safe.config.heal.graceMs]).toEqual([0, 'heal', false, 30_000]);
    const seed = await loadConfig({ file: write('b.yaml', 'profile: seed\nlatency:\n  confirm_probes: 3\nresources:\n  cpu_over: interval\n'), env: {} });
    expect([seed.config.latency.confirmProbes, seed.config.resources.cpuOver, seed.config.health.confirm]).toEqual([3, 'interval', 0]);
  });

  it.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing set yet\n'],
    ['empty sections', 'health:\nlatency:\n  # window: 50\nheal: ~\n'],
    ['a JSON object', '{}'],
  ])('%s: the defaults', async (_name, text) => {
    const file = write(text.startsWith('{') ? 'c.json' : 'c.yaml', text);
    expect(await loadConfig({ file, env: {}, cwd: '/' })).toEqual({ config: defaults(tmp, file), warnings: [] });
  });

  it.each([
    ['interval', '1h30m', 'intervalMs', 5_400_000],
    ['interval', 90, 'intervalMs', 90_000],
    ['interval', '"45"', 'intervalMs', 45_000],
    ['cycle_timeout', '1.5s', 'cycleTimeoutMs', 1500],
    ['cycle_timeout', '2m', 'cycleTimeoutMs', 120_000],
  ] as const)('durations: %s: %s is %s = %d', async (key, written, field, ms) => {
    const file = write('c.yaml', `${key}: ${written}\n`);
    const { config } = await loadConfig({ file, env: {} });
    expect(config[field]).toBe(ms);
  });

  it('durations in sections are normalised to ms too', async () => {
    const file = write('c.yaml', 'health:\n  timeout: 250ms\nresources:\n  cpu_sample: 0.5\nheal:\n  cooldown: 0s\n  verify_after: 0\n  kill_grace: 2s\nalert:\n  timeout: 1m\n');
    const { config } = await loadConfig({ file, env: {} });
    expect([config.health.timeoutMs, config.resources.cpuSampleMs, config.heal.cooldownMs, config.heal.verifyAfterMs, config.heal.killGraceMs, config.alert.timeoutMs]).toEqual([
      250, 500, 0, 0, 2000, 60_000,
    ]);
  });

  it("relative log_file, scheduler_log and procfs are resolved against the config's folder, not the working folder", async () => {
    mkdirSync(join(tmp, 'etc/ag/fixtures/proc'), { recursive: true });
    const file = write('etc/ag/guard.yaml', 'log_file: logs/g.ndjson\nscheduler_log: ../sched.log\nresources:\n  procfs: fixtures/proc\n  disk_path: /tmp\n');
    const { config } = await loadConfig({ file, env: {}, cwd: '/' });
    expect(config.baseDir).toBe(join(tmp, 'etc/ag'));
    expect(config.logFile).toBe(join(tmp, 'etc/ag/logs/g.ndjson'));
    expect(config.schedulerLog).toBe(join(tmp, 'etc/sched.log'));
    expect(config.resources.procfs).toBe(join(tmp, 'etc/ag/fixtures/proc'));
    expect(config.resources.diskPath).toBe('/tmp');
  });

  it('heal.command[0] with a slash is resolved against the config folder; bare names and later arguments are kept', async () => {
    chmodSync(write('cfg/scripts/heal.sh', '#!/bin/sh\nexit 0\n'), 0o755);
    const file = write('cfg/guard.yaml', 'heal:\n  command: [scripts/heal.sh, --now, ./x]\nalert:\n  command: [node, scripts/alert.js]\n');
    const { config } = await loadConfig({ file, env: {}, cwd: '/' });
    expect(config.heal.command).toEqual([join(tmp, 'cfg/scripts/heal.sh'), '--now', './x']);
    expect(config.alert.command).toEqual(['node', 'scripts/alert.js']);
  });

  it('a doubtful but valid setting is a warning, not an error', async () => {
    const file = write('c.yaml', 'cycle_timeout: 10s\nhealth:\n  timeout: 10s\n');
    const { warnings } = await loadConfig({ file, env: {} });
    expect(warnings).toEqual([
      'health.timeout: 10s is not shorter than cycle_timeout (10s); a hung service would time the whole cycle out',
    ]);
  });
});

describe('where the config is found', () => {
  const env = (path: string) => ({ ANOMALY_GUARD_CONFIG: path });

  it.each([
    ['-c wins over $ANOMALY_GUARD_CONFIG and ./anomaly-guard.yaml', ['explicit.yaml', 'env.yaml', 'anomaly-guard.yaml'], 'explicit.yaml', 'env.yaml', 'explicit.yaml'],
    ['$ANOMALY_GUARD_CONFIG wins over ./anomaly-guard.yaml', ['env.yaml', 'anomaly-guard.yaml'], undefined, 'env.yaml', 'env.yaml'],
    ['an empty $ANOMALY_GUARD_CONFIG is not set', ['anomaly-guard.yaml'], undefined, '', 'anomaly-guard.yaml'],
    ['.yaml before .yml before .json', ['anomaly-guard.json', 'anomaly-guard.yml', 'anomaly-guard.yaml'], undefined, undefined, 'anomaly-guard.yaml'],
    ['.yml before .json', ['anomaly-guard.json', 'anomaly-guard.yml'], undefined, undefined, 'anomaly-guard.yml'],
    ['.json last', ['anomaly-guard.json'], undefined, undefined, 'anomaly-guard.json'],
    ['none: the defaults', [], undefined, undefined, null],
  ] as const)('%s', (_name, files, explicit, fromEnv, expected) => {
    for (const f of files) write(f, f.endsWith('.json') ? '{}' : '');
    const found = findConfigFile(explicit, fromEnv === undefined ? {} : env(fromEnv), tmp);
    expect(found).toBe(expected === null ? null : join(tmp, expected));
  });

  it('loadConfig reads the file $ANOMALY_GUARD_CONFIG names (relative to the working folder)', async () => {
    write('conf/env.yaml', 'interval: 7s\n');
    const { config } = await loadConfig({ env: env('conf/env.yaml'), cwd: tmp });
    expect(config.file).toBe(join(tmp, 'conf/env.yaml'));
    expect(config.intervalMs).toBe(7000);
  });

  it('loadConfig reads ./anomaly-guard.yaml of the working folder', async () => {
    write('anomaly-guard.yaml', 'latency:\n  sigma: 4\n');
    const { config } = await loadConfig({ env: {}, cwd: tmp });
    expect(config.file).toBe(join(tmp, 'anomaly-guard.yaml'));
    expect(config.latency.sigma).toBe(4);
  });

  it.each([
    ['-c', 'missing.yaml', {}],
    ['$ANOMALY_GUARD_CONFIG', undefined, env('missing.yaml')],
  ] as const)('a missing file named by %s is CONFIG_NOT_FOUND, never the defaults', async (origin, file, e) => {
    write('anomaly-guard.yaml', '');
    await expect(loadConfig({ file, env: e, cwd: tmp })).rejects.toMatchObject({
      code: 'CONFIG_NOT_FOUND',
      message: `config file ${join(tmp, 'missing.yaml')} (from ${origin}) does not exist`,
    });
  });
});
