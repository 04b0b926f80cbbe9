// Trying a config before it can restart anything: `check --dry-run` does everything but heal and alert,
// `validate --probe` probes health.url once, and `heal-reset --rebaseline` accepts a new normal latency.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, SCRIPTS, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { refusedUrl, sharedHealthServer } from '../helpers/health-server.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const node = process.execPath;

describe('check --dry-run', () => {
  it('logs the check and the trigger, says the heal would run, and runs neither heal nor alert (exit 2)', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    const healed = join(env.dir, 'healed');
    const alerted = join(env.dir, 'alerted');
    env.writeConfig({ heal: { command: [node, join(SCRIPTS, 'record-stdin.mjs'), healed] }, alert: { command: [node, join(SCRIPTS, 'record-stdin.mjs'), alerted] } });
    const run = await env.run(['check', '--dry-run']);
    expect(run.code).toBe(2);
    expect(env.records().map((r) => r.event ?? 'check')).toEqual(['check', 'anomaly_trigger', 'heal_suppressed']);
    expect(env.records().at(-1)).toMatchObject({ why: 'dry_run', detail: expect.stringContaining('would run') });
    expect(existsSync(healed)).toBe(false);
    expect(existsSync(alerted)).toBe(false);
    expect(run.stdout).toContain('suppressed (dry_run)');
  });

  it('a heal the budget would withhold says why, as a real check would', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], max_per_hour: 0 } });
    await env.run(['check', '--dry-run']);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_suppressed', why: 'rate_limit' });
  });
});

describe('validate --probe', () => {
  it('probes health.url once and shows what it saw (exit 0)', async () => {
    env = guardEnv(server.url);
    const run = await env.run(['validate', '--probe']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/probe http:\/\/127\.0\.0\.1:\d+\/health: ok in [\d.]+ ms \(HTTP 200, status=Healthy\)/);
    expect(env.records()).toEqual([]);
  });

  it('a URL nobody answers is CONFIG_PROBE_FAILED: exit 2, the URL and what was seen named', async () => {
    const url = await refusedUrl();
    env = guardEnv(url);
    const run = await env.run(['validate', '--probe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`health.url: the probe of ${url} failed after`);
    expect(run.stderr).toContain('connection refused');
    expect(run.stderr).toContain('hint: check health.url');
  });

  it('a body that is not the expected status is named too', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    const run = await env.run(['validate', '--probe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('status=Degraded (HTTP 200)');
  });
});

describe('heal-reset --rebaseline', () => {
  it('appends heal_resumed with rebaseline, and the next check learns its baseline afresh (no score yet)', async () => {
    env = guardEnv(server.url);
    env.seedLog(seedChecks(Array.from({ length: 20 }, () => 50)));
    const reset = await env.run(['heal-reset', '--rebaseline']);
    expect(reset.code).toBe(0);
    expect(env.records().at(-1)).toMatchObject({ event: 'heal_resumed', why: 'manual', rebaseline: true });
    expect(reset.stdout).toContain('the latency baseline is learnt afresh');
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ score: null, mean: null, stdev: null });
  });
});
