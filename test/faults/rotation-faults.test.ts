// The real logrotate, in the namings people use (RHEL's dateext, compress without delaycompress,
// copytruncate, nocreate), between two checks: the baseline and the heal budget go on from the newest
// rotated file whatever its name, gzip included. And a log deleted under a running daemon, where nothing
// is left to read: the daemon says so.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { killAll, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { appFixture } from '../http/app-fixture.js';
import { eventOf, strictRecords } from './fault-helpers.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  killAll();
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const LOGROTATE = ['/usr/sbin/logrotate', '/sbin/logrotate', '/usr/bin/logrotate'].find((p) => existsSync(p)) ?? null;
const withLogrotate = LOGROTATE !== null ? it : it.skip;

/** Rotates `log` once with the real logrotate and these directives (`-f`: now, whatever the period). */
function logrotate(dir: string, log: string, directives: string[]): string[] {
  const conf = join(dir, 'logrotate.conf');
  writeFileSync(conf, `${log} {\n${directives.map((d) => `  ${d}\n`).join('')}  rotate 5\n  missingok\n}\n`, { mode: 0o644 });
  const r = spawnSync(LOGROTATE as string, ['-f', '-s', join(dir, 'logrotate.state'), conf], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`logrotate failed (${r.status}): ${r.stderr}`);
  return readdirSync(join(log, '..')).sort();
}

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString().replace('Z', '000Z');

describe('check after logrotate: the history goes on into the newest rotated file, whatever its naming', () => {
  // Each: logrotate's directives, and the name the rotated log must have (today's date for dateext).
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  const namings: [name: string, directives: string[], rotated: string][] = [
    ['dateext (the RHEL default)', ['dateext', 'create'], `anomaly_guard.ndjson-${today}`],
    ['compress without delaycompress', ['compress', 'create'], 'anomaly_guard.ndjson.1.gz'],
    ['dateext and compress', ['dateext', 'compress', 'create'], `anomaly_guard.ndjson-${today}.gz`],
    ['copytruncate and compress', ['copytruncate', 'compress'], 'anomaly_guard.ndjson.1.gz'],
    ['nocreate and compress (no live log until the next check)', ['nocreate', 'compress'], 'anomaly_guard.ndjson.1.gz'],
  ];

  withLogrotate.each(namings)('%s: the same baseline, and cooldown 1h still holds (before: a second heal)', async (_name, directives, rotated) => {
    env = guardEnv(server.url);
    const marker = join(env.dir, 'heals');
    // latency only logged: on this busy machine a loopback probe may well be slower than the seeded baseline.
    env.writeConfig({ actions: { latency: 'log' }, heal: { command: [process.execPath, '-e', `require('fs').appendFileSync(${JSON.stringify(marker)}, 'heal\\n')`], cooldown: '1h' } });
    const heal = { event: 'self_heal', ts: ago(4000), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1, stdout_tail: '', stderr_tail: '' };
    env.seedLog([...seedChecks([100, 120, 110, 130, 100, 120, 110, 130, 100, 120], { endMs: Date.now() - 5000, stepMs: 1 }), heal]);
    expect(logrotate(env.dir, env.logFile, directives)).toContain(rotated);

    const first = await env.run(['check']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(strictRecords(env.logFile)[0]).toMatchObject({ mean: 114, stdev: 11.738 });

    server.setMode({ kind: 'http', code: 503 });
    const second = await env.run(['check']);
    expect(second.code).toBe(2);
    expect(strictRecords(env.logFile).map(eventOf)).toEqual(['check', 'check', 'anomaly_trigger', 'heal_suppressed']);
    expect(strictRecords(env.logFile).at(-1)).toMatchObject({ why: 'cooldown' });
    expect(existsSync(marker)).toBe(false);
  });

  withLogrotate('a rotated gzip file that is not gzip: a warning naming it, the check goes on with what it has', async () => {
    env = guardEnv(server.url);
    env.seedLog(seedChecks([10, 11]));
    logrotate(env.dir, env.logFile, ['compress', 'create']);
    writeFileSync(`${env.logFile}.1.gz`, 'not gzip at all\n');
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`anomaly-guard check: cannot read the rotated log ${env.logFile}.1.gz: it is not a valid gzip file (incorrect header check); the history before it is not used\n`);
  });
});

describe('run: the log deleted under a running daemon', () => {
  it('keeps its baseline and its heal budget in memory: the next checks score as before, and no second heal within the cooldown', async () => {
    env = guardEnv(server.url);
    const marker = join(env.dir, 'healed');
    env.writeConfig({ interval: '1s', latency: { min_stdev_ms: 10_000 }, heal: { command: [process.execPath, '-e', `require('fs').appendFileSync(${JSON.stringify(marker)}, 'x')`], cooldown: '1h' } });
    // A baseline of 12 checks with mean 114 and a heal a minute ago.
    env.seedLog([...seedChecks([100, 110, 120, 130, 100, 110, 120, 130, 100, 110, 120, 130]), { event: 'self_heal', ts: new Date(Date.now() - 60_000).toISOString().replace('Z', '000Z'), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1, stdout_tail: '', stderr_tail: '' }]);
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('a first check', () => env.records().some((r) => r.lat !== undefined && r.mean !== undefined && r.mean !== null && (r.ts as string) > new Date(Date.now() - 30_000).toISOString()));
    rmSync(env.logFile);
    server.setMode({ kind: 'http', code: 503 });
    // The new log holds only what came after: its checks still have the old baseline, and the failure is not healed (cooldown).
    const suppressed = await waitFor('a suppressed heal in the new log', () => existsSync(env.logFile) && env.records().find((r) => r.event === 'heal_suppressed'));
    expect(suppressed).toMatchObject({ why: 'cooldown' });
    expect(existsSync(marker)).toBe(false);
    server.setMode({ kind: 'healthy' });
    const scored = await waitFor('an ok check scored in the new log', () => env.records().find((r) => r.event === undefined && (r.lat as { ok: boolean }).ok && r.mean !== null));
    expect(scored.mean).toBeGreaterThan(0);
    expect(await daemon.stop()).toBe(0);
  });
});

describe('status and /api/status after a rotation: the tail summary goes on into the rotated file', () => {
  // The same records before and after: all in the live log, then all but the newest check moved to the
  // rotated file (plain or gzip) and the newest check alone in a new, short live log.
  const rotations: [name: string, rotated: string, pack: (text: string) => Buffer | string][] = [
    ['<log> moved to <log>.1', '.1', (text) => text],
    ['<log> compressed to <log>.1.gz', '.1.gz', (text) => gzipSync(text)],
  ];
  const records = (): object[] => {
    const heal = { event: 'self_heal', ts: ago(600_000), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 5, stdout_tail: '', stderr_tail: '' };
    const checks = seedChecks([100, 120, 110, 130, 100, 120, 110, 130, 100, 120], { endMs: Date.now() - 120_000 });
    return [...checks.slice(0, 8), heal, ...checks.slice(8), seedChecks([115], { endMs: Date.now() - 30_000 })[0] as object];
  };
  const rotate = (logFile: string, all: object[], suffix: string, pack: (text: string) => Buffer | string): void => {
    const text = (rs: object[]): string => rs.map((r) => `${JSON.stringify(r)}\n`).join('');
    writeFileSync(`${logFile}${suffix}`, pack(text(all.slice(0, -1))));
    writeFileSync(logFile, text(all.slice(-1)));
  };
  const withoutAgo = (out: string): string => out.replace(/ \(\d+[smhd] ago\)$/gm, '');

  it.each(rotations)('status (%s): the same last heal, baseline and heals of the hour as before it', async (_name, suffix, pack) => {
    env = guardEnv('http://127.0.0.1:9/health');
    const all = records();
    env.seedLog(all);
    const [json, human] = [await env.run(['status', '--json']), await env.run(['status'])];
    const before = JSON.parse(json.stdout);
    expect(before.last_heal).toEqual(all[8]);
    expect(before).toMatchObject({ heals_last_hour: 1, baseline: { n: 11 } });
    rotate(env.logFile, all, suffix, pack);
    const after = await env.run(['status', '--json']);
    expect([after.code, after.stderr]).toEqual([0, '']);
    expect(JSON.parse(after.stdout)).toEqual(before);
    const humanAfter = await env.run(['status']);
    expect(withoutAgo(humanAfter.stdout)).toBe(withoutAgo(human.stdout));
    expect(humanAfter.stdout).toMatch(/^heal {8}\S+Z {2}self_heal /m);
  });

  it.each(rotations)('/api/status (%s): the same last heal, baseline and heals of the hour as before it', async (_name, suffix, pack) => {
    const all = records();
    const startedAtMs = Date.now();
    // A daemon started on the log as it is (its read worker reads the events once, at its first status).
    const read = async (rotated: boolean): Promise<Record<string, unknown>> => {
      const fx = appFixture({ startedAtMs });
      try {
        fx.seed(all);
        if (rotated) rotate(fx.logFile, all, suffix, pack);
        const res = await fx.get('/api/status');
        expect(res.status).toBe(200);
        const { updated_at: _at, ...body } = (await res.json()) as Record<string, unknown>; // the time it was read
        return body;
      } finally {
        fx.cleanup();
      }
    };
    const before = await read(false);
    expect(before).toMatchObject({ last: { heal: all[8] }, heals_last_hour: 1, baseline: { n: 11 } });
    expect(await read(true)).toEqual(before);
  });
});
