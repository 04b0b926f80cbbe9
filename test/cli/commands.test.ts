// The other commands through the built CLI: status, tail, init, the human summary, usage errors and
// the log failures a user meets (not writable, torn last line).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { INIT_TEMPLATE } from '../../src/config/init-template.js';
import { guardEnv, runCli, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

// Latencies (ms) whose mean lies above health.timeout (2 s in guardEnv): a probe that completes is never an
// anomaly against it, on any machine. Each is within health.timeout + 1 s, which an ok probe can have taken
// (slower ones are impossible and stay out of a baseline). Mean 2500, sample stdev √(800000 / 9) = 298.142.
const SLOWER_THAN_TIMEOUT = [2100, 2900, 2500, 2300, 2700, 2100, 2900, 2500, 2300, 2700];

describe('check: the human summary', () => {
  it('shows health, latency against the baseline, resources against thresholds and the verdict', async () => {
    env = guardEnv(server.url);
    // A baseline above the probe's own timeout (mean 2500 ms, health.timeout 2 s): however slow this machine,
    // a probe that completes scores below the mean (z < 0), so the exit status cannot depend on its speed.
    env.seedLog(seedChecks(SLOWER_THAN_TIMEOUT));
    server.setMode({ kind: 'healthy', delayMs: 200 }); // a slow machine's probe, on purpose
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    // The monitoring-plugin line: the anomaly threshold 2500 + 3 · 298.142 = 3394.427 ms is latency's crit field.
    expect(lines[0]).toMatch(/^OK - all within thresholds \| latency=\d+(\.\d+)?ms;;3394\.427;0 cpu=0%;;90;0;100 mem=30%;;90;0;100 disk=\d+(\.\d)?%;90;;0;100 score=-?\d+(\.\d+)?;;3$/);
    expect(lines[1]).toMatch(/^probe {4}http http:\/\/127\.0\.0\.1:\d+\/health {2}\d{4}-.*Z$/);
    expect(run.stdout).toMatch(/^health {3}ok \(HTTP 200, status=Healthy\)$/m);
    expect(run.stdout).toMatch(/^latency {2}\d+\.\d ms {3}baseline 2500\.0 ± 298\.1 ms over 10 {3}z=-\d+\.\d\d \(limit 3\)$/m);
    expect(run.stdout).toMatch(/^mem {6} 30\.0 % {3}\(critical above 90 %\)$/m);
    expect(run.stdout).toMatch(/^verdict  all within thresholds; nothing to do$/m);
    expect(run.stdout).toContain(`log      ${env.logFile} (+1 record)`);
  });

  it('says which findings cleared when an incident ends, apart from the label', async () => {
    env = guardEnv(server.url);
    const ts = new Date(Date.now() - 300_000).toISOString().replace('Z', '000Z');
    const reasons = ['cpu_critical (95.0%)'];
    env.seedLog([{ ts, lat: { latency_ms: 10, ok: true }, res: { cpu: 95, mem: 1, disk: 1 }, score: null, mean: null, stdev: null, reasons }, { event: 'anomaly_trigger', ts, reasons, latency: 10, score: null, cpu: 95, mem: 1, disk: 1 }]);
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^recovered  cpu_critical \(95\.0%\) cleared$/m);
    expect(run.stdout).toMatch(/^verdict  all within thresholds; nothing to do$/m); // the other labels keep their column
  });

  it('says what was found and what was done', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'http', code: 503 });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^CRITICAL /);
    expect(run.stdout).toContain('health   UNHEALTHY: HTTP 503');
    expect(run.stdout).toContain('verdict  health_unhealthy (HTTP 503) → heal');
    expect(run.stdout).toContain('heal     suppressed (no_command): heal.command is empty');
  });

  it('never prints probe header values or URL credentials', async () => {
    env = guardEnv(server.url.replace('http://', 'http://admin:hunter2@'));
    env.writeConfig({ health: { headers: { Authorization: 'Bearer s3cr3t-token' } } });
    server.setMode({ kind: 'http', code: 401 });
    const run = await env.run(['check']);
    const everything = run.stdout + run.stderr + readFileSync(env.logFile, 'utf8');
    expect(everything).not.toContain('hunter2');
    expect(everything).not.toContain('s3cr3t-token');
    expect(server.received.at(-1)!.headers.authorization).toBe('Bearer s3cr3t-token');
  });
});

describe('check: the log file', () => {
  it('exits 3 with a clear message when the log cannot be written', async () => {
    env = guardEnv(server.url);
    writeFileSync(join(env.dir, 'not-a-folder'), 'x');
    env.writeConfig({ log_file: 'not-a-folder/anomaly_guard.ndjson' });
    const run = await env.run(['check']);
    expect(run.code).toBe(3);
    // A monitoring scheduler reads stdout: one UNKNOWN plugin line saying why.
    expect(run.stdout).toMatch(/^UNKNOWN - cannot read log .*not-a-folder\/anomaly_guard\.ndjson: a part of the path is a file, not a folder \(ENOTDIR\)\n$/);
    expect(run.stderr).toMatch(/^anomaly-guard check: cannot read log .*not-a-folder\/anomaly_guard\.ndjson: a part of the path is a file, not a folder \(ENOTDIR\)$/m);
    expect(run.stderr).toMatch(/^hint: /m);
  });

  it('creates a missing log folder (0750) and file (0640)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ log_file: 'deep/er/log.ndjson' });
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    const { statSync } = await import('node:fs');
    expect(statSync(join(env.dir, 'deep/er/log.ndjson')).mode & 0o777).toBe(0o640);
    expect(statSync(join(env.dir, 'deep/er')).mode & 0o777).toBe(0o750);
  });

  it('keeps the baseline and the heal budget across logrotate: the history goes on into <log>.1', async () => {
    env = guardEnv(server.url);
    env.seedLog(seedChecks(SLOWER_THAN_TIMEOUT)); // no probe can be an anomaly against it (see above)
    server.setMode({ kind: 'healthy', delayMs: 200 }); // a slow machine's probe, on purpose
    const { renameSync } = await import('node:fs');
    renameSync(env.logFile, `${env.logFile}.1`);
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(0);
    expect(env.records()).toHaveLength(1);
    expect(env.records()[0]).toMatchObject({ mean: 2500, stdev: 298.142 });
  });

  it('leaves a torn last line alone, appends on a new line and says how many lines it skipped', async () => {
    env = guardEnv(server.url);
    const seeded = seedChecks([10, 11, 12]).map((r) => JSON.stringify(r));
    env.seedLog([...seeded, 'garbage in the middle', ...seedChecks([13])]);
    writeFileSync(env.logFile, readFileSync(env.logFile, 'utf8') + '{"ts":"2026-01-01T00:00:00.000000Z","lat":{"latenc');
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('skipped 2 unreadable lines');
    const lines = readFileSync(env.logFile, 'utf8').trimEnd().split('\n');
    expect(lines.at(-2)).toBe('{"ts":"2026-01-01T00:00:00.000000Z","lat":{"latenc');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ lat: { ok: true } });
  });
});

describe('status', () => {
  it('exits 1 with a clear message when there is no log yet', async () => {
    env = guardEnv(server.url);
    const run = await env.run(['status']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`anomaly-guard status: no log yet at ${env.logFile}`);
  });

  it('shows the latest check, the baseline, the last trigger and heal (--json)', async () => {
    env = guardEnv(server.url);
    env.seedLog(seedChecks([10, 12, 11, 13, 10, 12, 11, 13, 10, 12]));
    env.writeConfig({ heal: { command: [process.execPath, '-e', '0'] } });
    server.setMode({ kind: 'http', code: 500 });
    await env.run(['check']);
    const run = await env.run(['status', '--json']);
    expect(run.code).toBe(0);
    const s = JSON.parse(run.stdout);
    expect(s.latest_check.lat).toMatchObject({ ok: false });
    expect(s.baseline).toEqual({ n: 10, mean: 11.4, stdev: 1.174, threshold_ms: 14.921 });
    expect(s.last_trigger.reasons).toEqual(['health_unhealthy (HTTP 500)']);
    expect(s.last_heal).toMatchObject({ event: 'self_heal', exit_code: 0 });
    expect(s.heals_last_hour).toBe(1);
    const human = await env.run(['status']);
    expect(human.stdout).toMatch(/^baseline {4}11\.4 ± 1\.2 ms over 10 ok checks; anomaly above 14\.9 ms \(3 sigma\)$/m);
    expect(human.stdout).toMatch(/^trigger {5}\S+Z {2}anomaly_trigger +health_unhealthy \(HTTP 500\)/m);
    expect(human.stdout).toMatch(/^suppressed  none$/m); // not `suppressednone`
    expect(human.stdout).toContain('budget      1 of 6 heals used in the last hour');
  });
});

describe('tail', () => {
  it('prints the last N records, readable or raw', async () => {
    env = guardEnv(server.url);
    const seeded = seedChecks([10, 11, 12, 13, 14]);
    env.seedLog(seeded);
    const raw = await env.run(['tail', '-n', '2', '--json']);
    expect(raw.code).toBe(0);
    expect(raw.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual(seeded.slice(3));
    const human = await env.run(['tail', '-n', '1']);
    expect(human.stdout).toMatch(/^\d{4}-.*Z {2}check +ok +14\.0 ms {2}z=n\/a +cpu 10\.0% mem 30\.0% disk 50\.0%$/m);
  });

  it('refuses a bad -n with a usage error (exit 2)', async () => {
    env = guardEnv(server.url);
    const run = await env.run(['tail', '-n', 'lots']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('-n lots is not a number of records');
  });
});

describe('init', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-init-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the commented defaults, which validate', async () => {
    const file = join(dir, 'guard.yaml');
    const run = await runCli(['init', file]);
    expect(run.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(INIT_TEMPLATE);
    const valid = await runCli(['validate', '-c', file]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toBe(`${file} is valid\n`);
  });

  it('never overwrites: exit 1 naming the file', async () => {
    const file = join(dir, 'exists.yaml');
    writeFileSync(file, 'mine');
    const run = await runCli(['init', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`anomaly-guard init: ${file} already exists; not overwritten`);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('writes ./anomaly-guard.yaml by default', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ag-init-cwd-'));
    const run = await runCli(['init'], { cwd });
    expect(run.code).toBe(0);
    expect(existsSync(join(cwd, 'anomaly-guard.yaml'))).toBe(true);
    rmSync(cwd, { recursive: true, force: true });
  });
});

describe('usage', () => {
  it.each([
    [['bogus'], 2],
    [['check', '--no-such-flag'], 2],
    [['--help'], 0],
    [['check', '--help'], 0],
    [['--version'], 0],
    [[], 2],
  ])('anomaly-guard %j exits %d', async (args, code) => {
    const run = await runCli(args);
    expect(run.code).toBe(code);
  });

  it('every command has --help', async () => {
    for (const cmd of ['check', 'run', 'status', 'tail', 'report', 'validate', 'heal-reset', 'score', 'replay', 'init', 'demo']) {
      const run = await runCli([cmd, '--help']);
      expect(run.code, cmd).toBe(0);
      expect(run.stdout, cmd).toMatch(new RegExp(`^Usage: anomaly-guard ${cmd}`));
    }
  });
});
