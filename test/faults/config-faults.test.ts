// Config mistakes the fixture suite (test/config/invalid-configs.test.ts) does not already pin, through
// the real `validate` (exit 2, exact problem line) and `check` (exit 3); and valid but extreme
// durations (past Node's 24.8-day timer limit) that must not turn into a 1 ms timer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, runCli, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { killAll, startDaemon } from '../daemon/daemon-process.js';
import { eventOf, pause, strictRecords } from './fault-helpers.js';

const HINT = 'hint: fix the keys above; `anomaly-guard init` writes a commented config with every key and default';
let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** YAML text → the one problem line validate must print. */
const cases: [name: string, yaml: string, problem: (dir: string) => string][] = [
  ['a negative number of seconds', 'heal:\n  timeout: -5\n', () => 'heal.timeout: -5 is negative; use a positive duration, e.g. "10s"'],
  ['a negative duration string', 'health:\n  confirm_spacing: "-1s"\n', () => 'health.confirm_spacing: "-1s" is negative; use a duration of 0s or more, e.g. "30s"'],
  ['a zero cycle_timeout', 'cycle_timeout: 0\n', () => 'cycle_timeout: 0 is not positive; use a positive duration, e.g. "10s"'],
  ['a heal command as a string with spaces', 'heal:\n  command: "systemctl restart my app"\n', () => 'heal.command: "systemctl restart my app" is a string; give the command as a list of arguments (run without a shell), e.g. [systemctl, restart, my, app]'],
  ['a relative ca_file that does not exist', 'health:\n  ca_file: certs/missing.pem\n', (d) => `health.ca_file: "certs/missing.pem" (${d}/certs/missing.pem) does not exist; give an existing path (relative paths are relative to the config file's folder)`],
  ['a relative procfs that does not exist', 'resources:\n  procfs: nowhere/proc\n', (d) => `resources.procfs: "nowhere/proc" (${d}/nowhere/proc) does not exist; give an existing path (relative paths are relative to the config file's folder)`],
  ['a URL without a host', 'health:\n  url: "http://"\n', () => 'health.url: "http://" is not a valid URL; use an http:// or https:// URL, or tcp://host:port or tls://host:port'],
  ['a webhook that is not a URL', 'alert:\n  webhook: "not a url"\n', () => 'alert.webhook: "not a url" is not a valid URL; use an http:// or https:// URL, or "" for none'],
  ['a negative max_per_hour', 'heal:\n  max_per_hour: -1\n', () => 'heal.max_per_hour: -1 is too small; use a whole number of at least 0'],
];

describe('validate: config mistakes, each with its exact problem line', () => {
  it.each(cases)('%s', async (_name, yaml, problem) => {
    dir = mkdtempSync(join(tmpdir(), 'ag-cfg-'));
    const file = join(dir, 'guard.yaml');
    writeFileSync(file, yaml);
    const run = await runCli(['validate', '-c', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`anomaly-guard validate: config ${file} has 1 problem\n  ${problem(dir)}\n${HINT}\n`);
    const check = await runCli(['check', '-c', file]);
    expect(check.code).toBe(3);
    expect(check.stderr).toContain(`  ${problem(dir)}\n`);
  });

  it('a YAML syntax error names its line and column (exit 2), and check is UNKNOWN (3)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ag-cfg-'));
    const file = join(dir, 'guard.yaml');
    writeFileSync(file, 'interval: 5m\nhealth:\n  url: http://127.0.0.1:8080/health\n   timeout: 3s\n');
    const run = await runCli(['validate', '-c', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `anomaly-guard validate: config ${file}: YAML syntax error at line 4, column 4: this line is indented more than the key above it; indent the keys of one block to the same column\n` +
        'hint: fix the YAML at that line (indent with spaces, quote values that contain ": ")\n',
    );
    expect((await runCli(['check', '-c', file])).code).toBe(3);
  });
});

describe('durations past the 24.8-day timer limit', () => {
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

  it('health.timeout 30d against a hung service: no instant "timeout", the cycle_timeout stops it (exit 3)', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'hang' });
    env.writeConfig({ cycle_timeout: '1s', health: { timeout: '30d' } });
    const run = await env.run(['check']);
    expect(run.code).toBe(3);
    expect(run.stderr).not.toContain('TimeoutOverflowWarning');
    expect(strictRecords(env.logFile).map(eventOf)).toEqual(['cycle_timeout']);
  });

  it('run with interval 30d and cycle_timeout 40d: one cycle, not a cycle every few milliseconds', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '30d', cycle_timeout: '40d', health: { timeout: '30d' } });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await pause(1200);
    expect(await daemon.stop()).toBe(0);
    expect(daemon.stderr()).not.toContain('TimeoutOverflowWarning');
    const records = strictRecords(env.logFile);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ lat: { ok: true } });
  });
});
