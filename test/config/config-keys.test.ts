// Config mistakes of issue 14 through the real `validate` (and `check` for the alert command): a duration
// naming a unit twice, keys every JS object has (toString, constructor, __proto__), a duplicate key in
// a 20,000-key file (found by our own linear check), and where alert.command runs.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, runCli, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';

const TOP_KEYS = /accepted top-level keys: (?:\w+, )*interval, .*/.source; // the lead may add keys before interval
let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function configFile(name: string, text: string): string {
  dir = mkdtempSync(join(tmpdir(), 'ag-keys-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('validate: keys and values every object or parser would let through', () => {
  it.each([
    ['"5m5m" (before: accepted as 10m)', 'interval: 5m5m\n', 'interval: "5m5m" names the unit "m" twice; name each unit once, largest first, e.g. "1h30m"'],
    ['"30s1m" (before: accepted as 1m30s)', 'heal:\n  cooldown: 30s1m\n', 'heal.cooldown: "30s1m" names "m" after the smaller "s"; name each unit once, largest first, e.g. "1h30m"'],
  ])('a duration %s', async (_name, yaml, problem) => {
    const file = configFile('guard.yaml', yaml);
    const run = await runCli(['validate', '-c', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`\n  ${problem}\n`);
  });

  it.each([
    ['YAML', 'guard.yaml', 'toString: 1\nhealth:\n  constructor: 2\n__proto__:\n  interval: 1s\n'],
    ['JSON', 'guard.json', '{"toString": 1, "health": {"constructor": 2}, "__proto__": {"interval": "1s"}}'],
  ])('toString, constructor and __proto__ are unknown keys like any other (%s; before: accepted)', async (_name, name, text) => {
    const file = configFile(name, text);
    const run = await runCli(['validate', '-c', file]);
    expect(run.code).toBe(2);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(`anomaly-guard validate: config ${file} has 3 problems`);
    expect(lines[1]).toMatch(new RegExp(`^  toString: unknown key; ${TOP_KEYS}$`));
    expect(lines[2]).toMatch(/^ {2}health\.constructor: unknown key; accepted keys here: url, .*$/);
    expect(lines[3]).toMatch(new RegExp(`^  __proto__: unknown key; ${TOP_KEYS}$`));
  });

  it('a duplicate key among 20,000 is found at its line and column, the earliest first', async () => {
    const headers = Array.from({ length: 20_000 }, (_, i) => `    X-Header-${i}: v${i}\n`);
    headers[19_998] = '    X-Header-7: again\n'; // line 3 + 19998
    const file = configFile('guard.yaml', `health:\n  headers:\n${headers.join('')}heal:\n  timeout: 5s\n  timeout: 6s\n`);
    const run = await runCli(['validate', '-c', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `anomaly-guard validate: config ${file}: YAML syntax error at line 20001, column 5: key "X-Header-7" is given twice in the same block; keep one\n` +
        'hint: fix the YAML at that line (indent with spaces, quote values that contain ": ")\n',
    );
  });

  it('a duplicate key in a flow mapping', async () => {
    const file = configFile('guard.yaml', 'health: {url: "http://127.0.0.1:1/", url: "http://127.0.0.1:2/"}\n');
    const run = await runCli(['validate', '-c', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('YAML syntax error at line 1, column 38: key "url" is given twice in the same block; keep one');
  });
});

describe('alert.command runs in the config file\'s folder, like heal.command', () => {
  let server: HealthServer;
  let env: GuardEnv;
  beforeAll(async () => {
    server = await startHealthServer();
  });
  afterAll(() => server.close());
  afterEach(() => env?.cleanup());

  it('a relative path it writes lands beside the config, whatever folder check runs in (before: the working folder)', async () => {
    env = guardEnv(server.url);
    const elsewhere = mkdtempSync(join(tmpdir(), 'ag-cwd-'));
    dir = elsewhere;
    const write = (name: string): string[] => [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(name)}, process.cwd())`];
    env.writeConfig({ actions: { unhealthy: 'alert' }, alert: { command: write('alerted') }, heal: { command: write('healed') } });
    server.setMode({ kind: 'http', code: 503 });
    const run = await runCli(['check', '-c', env.configFile], { cwd: elsewhere });
    expect(run.code).toBe(1);
    expect(readFileSync(join(env.dir, 'alerted'), 'utf8')).toBe(env.dir);
    expect(existsSync(join(elsewhere, 'alerted'))).toBe(false);
    server.setMode({ kind: 'healthy' });
  });
});
