// Three services in one config: each probed, judged, healed and logged on its own (issue 12). A fault in
// one target heals that target only; every record names its target; `check` exits with the worst status.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, SCRIPTS, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { killAll, startDaemon, waitFor } from '../daemon/daemon-process.js';

let env: GuardEnv | null = null;
let servers: HealthServer[] = [];
afterEach(async () => {
  killAll();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  env?.cleanup();
  env = null;
});

const lines = (file: string): Record<string, unknown>[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];

// api and web healthy, worker answering 503 until its heal "restarts" it (GET /control/healthy).
async function threeServices(extra: Record<string, unknown> = {}, own: Record<string, Record<string, unknown>> = {}): Promise<{ env: GuardEnv; logOf: (name: string) => string; healedOf: (name: string) => string }> {
  servers = await Promise.all([startHealthServer(), startHealthServer(), startHealthServer()]);
  const [api, worker, web] = servers as [HealthServer, HealthServer, HealthServer];
  worker.setMode({ kind: 'http', code: 503 });
  const e = guardEnv(api.url);
  env = e;
  const healedOf = (name: string): string => join(e.dir, `healed-${name}`);
  const heal = (name: string, server: HealthServer) => ({ command: [process.execPath, join(SCRIPTS, 'restart-via-url.mjs'), `http://127.0.0.1:${server.port}/control/healthy`, healedOf(name)] });
  e.writeConfig({
    heal: { verify_after: '100ms' }, // the top level's, every target's default
    targets: [
      { name: 'api', health: { url: api.url }, heal: heal('api', api), ...own.api },
      { name: 'worker', health: { url: worker.url }, heal: heal('worker', worker), ...own.worker },
      { name: 'web', health: { url: web.url }, heal: heal('web', web), ...own.web },
    ],
    ...extra,
  });
  return { env: e, logOf: (name) => join(e.dir, 'logs', `anomaly_guard.${name}.ndjson`), healedOf };
}

describe('check: a config of three targets', () => {
  it('heals only the failing target, logs each target in its own file with `target`, and exits with the worst status', async () => {
    const { env: e, logOf, healedOf } = await threeServices();
    const run = await e.run(['check']);
    expect(run.code, run.stderr).toBe(2);
    const [head, ...rest] = run.stdout.trimEnd().split('\n');
    expect(head).toMatch(/^CRITICAL - worker CRITICAL \(3 targets, 2 OK\) \| 'api latency'=[\d.]+ms;/);
    expect(rest[0]).toMatch(/^\[worker\] CRITICAL - health_unhealthy \(HTTP 503\)/);
    expect(rest.some((l) => l.startsWith('[api] OK - '))).toBe(true);
    // Healed: worker alone, once.
    expect(existsSync(healedOf('worker'))).toBe(true);
    expect(existsSync(healedOf('api')) || existsSync(healedOf('web'))).toBe(false);
    for (const name of ['api', 'worker', 'web']) {
      const records = lines(logOf(name));
      expect(records.length, name).toBeGreaterThan(0);
      expect(records.every((r) => r.target === name), name).toBe(true);
    }
    const worker = lines(logOf("worker"));
    expect(worker.map((r) => r.event ?? 'check')).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal', 'heal_verify']);
    expect(worker.at(-1)).toMatchObject({ event: 'heal_verify', recovered: true, target: 'worker' });
    expect(lines(logOf('api')).map((r) => r.event ?? 'check')).toEqual(['check']);
    // The guard's own log_file is not written: each target has its own.
    expect(existsSync(e.logFile)).toBe(false);
  });

  it('--target NAME checks that target alone; an unknown name is a usage error listing the targets', async () => {
    const { env: e, logOf, healedOf } = await threeServices();
    const one = await e.run(['check', '--target', 'api', '--json']);
    expect(one.code, one.stderr).toBe(0);
    const printed = one.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(printed).toEqual(lines(logOf('api')));
    expect(printed[0]).toMatchObject({ target: 'api', lat: { ok: true } });
    expect(existsSync(logOf('worker')) || existsSync(healedOf('worker'))).toBe(false);
    const bad = await e.run(['check', '--target', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('anomaly-guard check: --target nope: no such target\nhint: use one of: api, worker, web\n');
  });
});

describe('run: a daemon of three targets', () => {
  it('runs each target on its own cadence, heals the failing one only, says which target each line is about', async () => {
    const { env: e, logOf, healedOf } = await threeServices({ interval: '1s' }, { web: { interval: '2s' } });
    const daemon = startDaemon(e.configFile);
    const checks = (name: string): Record<string, unknown>[] => lines(logOf(name)).filter((r) => r.event === undefined);
    await waitFor('three checks of every target, worker healed', () => ['api', 'worker', 'web'].every((n) => checks(n).length >= 3) && lines(logOf('worker')).some((r) => r.event === 'heal_verify'));
    expect(await daemon.stop()).toBe(0);
    expect(readFileSync(healedOf('worker'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(existsSync(healedOf('api')) || existsSync(healedOf('web'))).toBe(false);
    for (const name of ['api', 'worker', 'web']) expect(lines(logOf(name)).every((r) => r.target === name), name).toBe(true);
    // web every 2 s: fewer checks than api every 1 s over the same run.
    expect(checks('web').length).toBeLessThan(checks('api').length);
    const sched = readFileSync(join(e.dir, 'logs', 'scheduler.log'), 'utf8');
    expect(sched).toMatch(/started pid \d+, .*, 3 targets: api \(every 1s\), worker \(every 1s\), web \(every 2s\); /);
    expect(sched).toMatch(/\[worker\] cycle 1 end after [\d.]+ s: CRITICAL health_unhealthy \(HTTP 503\)/);
    expect(sched).toMatch(/\[api\] cycle \d+ end after [\d.]+ s: OK/);
    expect(sched).toMatch(/stopped on SIGTERM after \d+ cycles/);
  });
});

describe('validate: a config of three targets', () => {
  it('names the targets; --probe probes each and lists the failing ones under their names (exit 2)', async () => {
    const { env: e } = await threeServices();
    const ok = await e.run(['validate']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe(`${e.configFile} is valid, 3 targets: api, worker, web\n`);
    const probed = await e.run(['validate', '--probe']);
    expect(probed.code).toBe(2);
    expect(probed.stdout).toMatch(/^\[api\] probe http:\/\/127\.0\.0\.1:\d+\/health: ok in [\d.]+ ms \(HTTP 200, status=Healthy\)$/m);
    expect(probed.stdout).toMatch(/^\[web\] probe /m);
    expect(probed.stderr).toMatch(/^anomaly-guard validate: 1 of 3 targets failed their probe\n {2}targets\[worker\]\.health\.url: the probe of http:\/\/127\.0\.0\.1:\d+\/health failed after [\d.]+ ms: HTTP 503 \(HTTP 503\)\nhint: /);
  });
});
