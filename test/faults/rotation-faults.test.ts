// The real logrotate, in the namings people use (RHEL's dateext, compress without delaycompress,
// copytruncate, nocreate), between two checks: the baseline and the heal budget go on from the newest
// rotated file whatever its name, gzip included. And a log deleted under a running daemon, where nothing
// is left to read: the daemon says so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { killAll, schedulerLines, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { eventOf, strictRecords } from './fault-helpers.js';

let server: HealthServer;
let env: GuardEnv;
beforeAll(async () => {
  server = await startHealthServer();
});
afterAll(() => server.close());
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
  it('says the records it wrote are gone and what that costs (nothing is left to read)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s', scheduler_log: 'sched/scheduler.log' });
    const sched = join(env.dir, 'sched', 'scheduler.log');
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('2 checks', () => env.records().length >= 2, 10_000);
    rmSync(env.logFile);
    const line = await waitFor('the warning', () => schedulerLines(sched).find((l) => l.includes('are gone')), 10_000);
    expect(line).toMatch(
      new RegExp(
        `^cycle \\d+: log ${env.logFile.replace(/[.]/g, '\\.')}: the records this daemon wrote up to \\S+ are gone \\(the log was deleted or truncated, and no rotated file holds them\\); ` +
          'the heal budget \\(cooldown, max_per_hour\\) and the latency baseline start over from what is left$',
      ),
    );
    await waitFor('the warning on stderr', () => daemon.stderr().includes('are gone'));
    const n = env.records().length;
    await waitFor('2 more checks', () => env.records().length >= n + 2, 10_000);
    expect(schedulerLines(sched).filter((l) => l.includes('are gone'))).toHaveLength(1); // once, not every cycle
    expect(await daemon.stop()).toBe(0);
  });

  it('does not say so after a rotation (the records are in the rotated file)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s', scheduler_log: 'sched/scheduler.log' });
    const sched = join(env.dir, 'sched', 'scheduler.log');
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('2 checks', () => env.records().length >= 2, 10_000);
    execFileSync('gzip', [env.logFile]); // rotated away and compressed: logrotate `compress`, `nocreate`
    execFileSync('mv', [`${env.logFile}.gz`, `${env.logFile}.1.gz`]);
    await waitFor('2 checks in the new log', () => existsSync(env.logFile) && env.records().length >= 2, 10_000);
    expect(await daemon.stop()).toBe(0);
    expect(readFileSync(sched, 'utf8')).not.toContain('are gone');
  });
});
