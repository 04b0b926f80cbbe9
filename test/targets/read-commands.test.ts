// The read commands of a guard with targets: status and report give one line per target, the worst
// first; tail merges the targets' records in time order; --target narrows each to one target; replay
// needs one; heal-reset resets every target (or the one named).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardEnv, seedChecks, type GuardEnv } from '../helpers/guard-env.js';

let env: GuardEnv;
const logOf = (name: string): string => join(env.dir, 'logs', `anomaly_guard.${name}.ndjson`);
const seed = (name: string, records: object[]): void => {
  mkdirSync(join(env.dir, 'logs'), { recursive: true });
  writeFileSync(logOf(name), records.map((r) => `${JSON.stringify({ ...r, target: name })}\n`).join(''));
};
const MIN = 60_000;

beforeEach(() => {
  env = guardEnv('http://127.0.0.1:9/health');
  env.writeConfig({
    interval: '1m',
    targets: [
      { name: 'api', health: { url: 'http://127.0.0.1:9/api' } },
      { name: 'db', health: { url: 'tcp://127.0.0.1:9' } },
      { name: 'web', health: { url: 'http://127.0.0.1:9/web' } },
    ],
  });
  const now = Date.now();
  // api healthy; db's last probe failed after a trigger; web healthy, checked last, 20 checks of 10 ms.
  seed('api', seedChecks([10, 11, 12], { endMs: now - 3 * MIN, stepMs: MIN }));
  const dbChecks = seedChecks([10, 10], { endMs: now - 2 * MIN, stepMs: MIN }) as Record<string, unknown>[];
  const failedAt = new Date(now - MIN).toISOString().replace('Z', '000Z');
  seed('db', [
    ...dbChecks,
    { ts: failedAt, lat: { latency_ms: 3, ok: false, error: 'connection refused' }, res: { cpu: 10, mem: 30, disk: 50 }, score: null, mean: null, stdev: null },
    { event: 'anomaly_trigger', ts: failedAt, reasons: ['health_unhealthy (connection refused)'], latency: 3, score: null, cpu: 10, mem: 30, disk: 50 },
  ]);
  seed('web', seedChecks(Array.from({ length: 20 }, () => 10), { endMs: now - 10_000, stepMs: 1000 }));
});
afterEach(() => env.cleanup());

describe('status of a guard with targets', () => {
  it('one line per target, the worst first; --json gives the same rows', async () => {
    const run = await env.run(['status']);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^target +state +checked +latency +limit +heals\/h +last trigger$/);
    expect(rows.slice(1).map((r) => r.split(/ +/).slice(0, 2))).toEqual([['db', 'DOWN'], ['api', 'STALE'], ['web', 'OK']]);
    expect(rows[1]).toMatch(/ago: health_unhealthy \(connection refused\)$/);
    const json = await env.run(['status', '--json']);
    const parsed = JSON.parse(json.stdout) as { targets: { target: string; state: string; log_file: string; heals_last_hour: number; max_per_hour: number }[] };
    expect(parsed.targets.map((t) => [t.target, t.state])).toEqual([['db', 'down'], ['api', 'stale'], ['web', 'ok']]);
    expect(parsed.targets[0]).toMatchObject({ log_file: logOf('db'), heals_last_hour: 0, max_per_hour: 6 });
  });

  it('--target NAME shows that target in full; an unknown one is a usage error', async () => {
    const run = await env.run(['status', '--target', 'web']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`log         ${logOf('web')}\n`);
    expect(run.stdout).toMatch(/baseline    10\.0 ± 0\.0 ms over 20 ok checks/);
    const bad = await env.run(['status', '--target', 'nope']);
    expect([bad.code, bad.stderr]).toEqual([2, 'anomaly-guard status: --target nope: no such target\nhint: use one of: api, db, web\n']);
  });
});

describe('tail of a guard with targets', () => {
  it('merges the targets\' last records in time order, each line after its target; --json prints the raw lines', async () => {
    const run = await env.run(['tail', '-n', '4']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.map((l) => /^\[(\w+)\]/.exec(l)?.[1])).toEqual(['web', 'web', 'web', 'web']);
    const all = await env.run(['tail', '-n', '100', '--json']);
    const records = all.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { ts: string; target: string });
    expect(records).toHaveLength(3 + 4 + 20);
    expect(records.map((r) => r.ts)).toEqual([...records.map((r) => r.ts)].sort());
    const one = await env.run(['tail', '--target', 'db', '-n', '1']);
    expect(one.stdout).toMatch(/^\S+Z {2}anomaly_trigger +health_unhealthy \(connection refused\)\n$/);
  });
});

describe('report of a guard with targets', () => {
  it('a table, the least available first; --json every target\'s report with its name', async () => {
    const run = await env.run(['report']);
    expect(run.code, run.stderr).toBe(0);
    const rows = run.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^target +availability +checks +longest outage +p95 latency +triggers +heals ok\/failed +incidents +MTTR$/);
    expect(rows.slice(1).map((r) => r.split(/ +/).slice(0, 4))).toEqual([
      ['db', '66.667', '%', '3'],
      ['api', '100.000', '%', '3'],
      ['web', '100.000', '%', '20'],
    ]);
    const json = JSON.parse((await env.run(['report', '--json'])).stdout) as { targets: { target: string; checks: number; triggers: Record<string, number> }[] };
    expect(json.targets.map((t) => [t.target, t.checks])).toEqual([['api', 3], ['db', 3], ['web', 20]]);
    expect(json.targets[1]?.triggers).toEqual({ health_unhealthy: 1 });
    const one = JSON.parse((await env.run(['report', '--json', '--target', 'web'])).stdout) as { log_file: string; checks: number };
    expect([one.log_file, one.checks]).toEqual([logOf('web'), 20]);
  });
});

describe('replay and heal-reset with targets', () => {
  it('replay needs --target; heal-reset resets every target, or the one named', async () => {
    const replay = await env.run(['replay']);
    expect([replay.code, replay.stderr]).toEqual([2, 'anomaly-guard replay: replay works on one target; the config has 3\nhint: add --target NAME, one of: api, db, web\n']);
    expect((await env.run(['replay', '--target', 'web'])).code).toBe(0);
    const all = await env.run(['heal-reset']);
    expect(all.code, all.stderr).toBe(0);
    const last = (name: string): Record<string, unknown> => JSON.parse(readFileSync(logOf(name), 'utf8').trimEnd().split('\n').at(-1) as string) as Record<string, unknown>;
    for (const name of ['api', 'db', 'web']) expect(last(name)).toMatchObject({ event: 'heal_resumed', why: 'manual', target: name });
    await env.run(['heal-reset', '--target', 'db', '--reason', 'db fixed']);
    expect(last('db')).toMatchObject({ event: 'heal_resumed', detail: 'db fixed', target: 'db' });
    expect(last('api')).toMatchObject({ detail: 'heal-reset command' });
  });
});
