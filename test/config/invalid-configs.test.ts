// Every invalid config fixture paired with its exact messages: in-process through loadConfig (the
// problem lines in err.details, or the one-line syntax message), and a handful through the built CLI.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { GuardError } from '../../src/errors.js';

const DIR = fileURLToPath(new URL('../fixtures/config-invalid', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'dist/cli/main.js');
const HINT = 'hint: fix the keys above; `anomaly-guard init` writes a commented config with every key and default';
const TOP_KEYS = 'profile, interval, schedule, cycle_timeout, max_concurrent_probes, log_file, scheduler_log, health, latency, resources, actions, heal, alert, heartbeat, http, targets, include';
const HEALTH_KEYS = 'url, timeout, expect_status, conditions, send, expect, headers, ca_file, confirm, confirm_spacing, keep_alive';
const PLACEHOLDERS = '[STATUS], [BODY], [RESPONSE_TIME], [CONNECTED], [CERTIFICATE_EXPIRATION], [IP]';
const PROBE_URL = 'use an http:// or https:// URL, or tcp://host:port or tls://host:port';
const DURATION = 'use a number of seconds or a string like "250ms", "10s", "5m", "1h", "1h30m"';
const LISTEN = 'use host:port with an IP address, e.g. "127.0.0.1:9102", "[::1]:9102" or ":9102" for every interface, or "" for off';

/** File name → the problem lines `validate` prints under its first line (CONFIG_INVALID). */
const INVALID: Record<string, string[]> = {
  // wrong types
  'window-string.yaml': ['latency.window: "fifty" is not a number; use a whole number of at least 2'],
  'expect-status-number.yaml': ['health.expect_status: 200 is not a string; give the expected "status" value, e.g. Healthy'],
  'keep-alive-string.yaml': ['health.keep_alive: "yes" is not true or false; use true or false (without quotes)'],
  'health-list.yaml': [`health: is a list, not a mapping; use a block of keys (${HEALTH_KEYS})`],
  'heal-command-mapping.yaml': ['heal.command: {"run":"scripts/self_heal.py"} is not a list; give the command as a list of arguments, e.g. [python3, scripts/self_heal.py]'],
  'heal-command-number-arg.yaml': ['heal.command: item 3 (3) is not a string; quote it: "3"'],
  'scalar.yaml': ['(top level): 42 is not a mapping; the config must be a mapping of keys, e.g. "interval: 5m"'],
  'top-level-list.yaml': ['(top level): is a list, not a mapping; the config must be a mapping of keys, e.g. "interval: 5m"'],
  // durations
  'cooldown-negative.yaml': ['heal.cooldown: "-5s" is negative; use a duration of 0s or more, e.g. "30s"'],
  'interval-zero.yaml': ['interval: "0s" is not positive; use a positive duration, e.g. "10s"'],
  'health-timeout-zero.yaml': ['health.timeout: 0 is not positive; use a positive duration, e.g. "10s"'],
  'duration-bad-unit.yaml': [`cycle_timeout: "10 sec" is not a duration; ${DURATION}`],
  'kill-grace-too-long.yaml': ['heal.kill_grace: 10s is more than 5s (SIGKILL must follow SIGTERM within 5s); use at most 5s'],
  'cpu-sample-not-shorter.yaml': [
    'resources.cpu_sample: 5s is not shorter than cycle_timeout (5s), so every cycle would time out; use a cpu_sample shorter than cycle_timeout, e.g. 1s',
  ],
  // unknown keys
  'unknown-top-level-key.yaml': [`intervall: unknown key (did you mean interval?); accepted top-level keys: ${TOP_KEYS}`],
  'unknown-nested-key.yaml': [`health.urll: unknown key (did you mean url?); accepted keys here: ${HEALTH_KEYS}`],
  'unknown-key-and-cross-field.yaml': [
    `intervall: unknown key (did you mean interval?); accepted top-level keys: ${TOP_KEYS}`,
    'heal.kill_grace: 10s is more than 5s (SIGKILL must follow SIGTERM within 5s); use at most 5s',
  ],
  // numbers and words
  'sigma-zero.yaml': ['latency.sigma: 0 is too small; use a number greater than 0'],
  'sigma-negative.yaml': ['latency.sigma: -1 is too small; use a number greater than 0'],
  'window-one.yaml': ['latency.window: 1 is too small; use a whole number of at least 2'],
  'window-fraction.yaml': ['latency.window: 2.5 is not a whole number; use a whole number of at least 2'],
  'min-samples-over-window.yaml': ['latency.min_samples: 30 is larger than latency.window (20), so the window could never hold enough samples; use at most 20'],
  'percent-150.yaml': ['resources.cpu_critical: 150 is too large; use a number from 0 to 100'],
  'service-two-ways.yaml': ['resources.service: unit and pid_file are both set; name the service one way: unit (a systemd unit), cgroup (a cgroup v2 folder) or pid_file'],
  'service-unit-no-suffix.yaml': ['resources.service.unit: "nginx" is not a systemd unit name; give it with its suffix, e.g. nginx.service'],
  'action-unknown.yaml': ['actions.disk: "page" is not accepted; use one of heal, alert, log'],
  // commands
  'heal-command-string.yaml': [
    'heal.command: "python3 scripts/self_heal.py" is a string; give the command as a list of arguments (run without a shell), e.g. [python3, scripts/self_heal.py]',
  ],
  'heal-command-missing.yaml': [
    `heal.command: "./scripts/no-such-heal.sh" (${DIR}/scripts/no-such-heal.sh) does not exist; give an existing program (relative paths are relative to the config file's folder)`,
  ],
  'heal-command-not-executable.yaml': [
    `heal.command: "scripts/not-executable.sh" (${DIR}/scripts/not-executable.sh) is not executable; chmod +x it, or put its interpreter first, e.g. [sh, scripts/not-executable.sh]`,
  ],
  // URLs and headers (secrets never echoed)
  'url-bad-scheme-typo.yaml': [`health.url: scheme "htp:" is not supported; ${PROBE_URL}`],
  'url-not-a-url.yaml': [`health.url: "not a url" is not a valid URL; ${PROBE_URL}`],
  'url-ftp.yaml': [`health.url: scheme "ftp:" is not supported; ${PROBE_URL}`],
  'url-credentials-invalid.yaml': [`health.url: "http://***@" is not a valid URL; ${PROBE_URL}`],
  'webhook-credentials-invalid.yaml': ['alert.webhook: "https://***@bad host/services/T0" is not a valid URL; use an http:// or https:// URL, or "" for none'],
  'header-number.yaml': ['health.headers.X-Api-Key: value is a number, not a string (not shown: it may be a secret); quote it, e.g. X-Api-Key: "..."'],
  'header-newline.yaml': ['health.headers.Authorization: value contains a line break (not shown: it may be a secret); put the whole value on one line'],
  // the HTTP server and Alertmanager (the token is never echoed)
  'http-listen-public-no-token.yaml': [
    "http.token: is empty, but http.listen (0.0.0.0:9102) is not a loopback address, so anyone who can reach it could read the guard's state; set a bearer token (e.g. the output of `openssl rand -hex 32`), or listen on 127.0.0.1",
  ],
  'http-listen-no-port.yaml': [`http.listen: "9102" is not a listen address; ${LISTEN}`],
  'http-listen-hostname.yaml': [`http.listen: "myhost:9102": "myhost" is not an IP address; ${LISTEN}`],
  'http-listen-port-range.yaml': ['http.listen: port 70000 is out of range; use a port from 1 to 65535'],
  'http-token-space.yaml': [
    'http.token: contains a space, a line break or a non-ASCII character (not shown: it is a secret); use letters, digits and punctuation, e.g. the output of `openssl rand -hex 32`',
  ],
  'alertmanager-bad.yaml': [
    'alert.alertmanager.url: scheme "am.example:" is not supported; use an http:// or https:// URL, or "" for none',
    'alert.alertmanager.timout: unknown key (did you mean timeout?); accepted keys here: url, timeout, instance',
  ],
  // health conditions (Gatus syntax): every bad one by its index, with the character at fault under a caret
  'conditions-bad.yaml': [
    `health.conditions[1]: unknown placeholder [STAUTS]; use one of ${PLACEHOLDERS} (character 1)\n      [STAUTS] == 200\n      ^`,
    'health.conditions[2]: put a space on each side of ==, e.g. [STATUS] == 200 (character 14)\n      [BODY].status==UP\n                   ^',
    `health.conditions[3]: quotes are compared as part of the value in Gatus syntax; write UP without them (character 32)\n      [BODY].components.db.status == "UP"\n${' '.repeat(37)}^`,
    'health.conditions[4]: "fast" is not a number or a duration (e.g. 500, 2.5, 48h); < compares numbers (character 19)\n      [RESPONSE_TIME] < fast\n                        ^',
  ],
  'conditions-not-a-list.yaml': ['health.conditions: "[STATUS] == 200" is not a list; give the conditions as a list of strings, e.g. ["[STATUS] == 200", "[BODY].status == UP"]'],
  'tcp-conditions-http-only.yaml': [
    'health.conditions[1]: [STATUS] has no value for a tcp:// probe (it speaks no HTTP); use [CONNECTED] or [BODY] (character 1)\n      [STATUS] == 200\n      ^',
    'health.conditions[2]: [CERTIFICATE_EXPIRATION] has no value without TLS; use an https:// or tls:// URL (character 1)\n      [CERTIFICATE_EXPIRATION] > 7d\n      ^',
  ],
  'tcp-url-no-port.yaml': ['health.url: "tcp://db.internal" has no port; write tcp://host:port, e.g. tcp://127.0.0.1:5432'],
  'tcp-url-path.yaml': ['health.url: "tcp://127.0.0.1:5432/postgres" has a path or query; a tcp probe only connects, write tcp://host:port'],
  'http-send-expect.yaml': [
    'health.send: is set, but health.url is an http(s) URL, which sends its own request; remove send, or use a tcp:// or tls:// URL',
    'health.expect: is set, but health.url is an http(s) URL, which sends its own request; remove expect, or use a tcp:// or tls:// URL',
  ],
  // several at once, in the order of the file
  'several-problems.yaml': [
    'heal.command: "systemctl restart app" is a string; give the command as a list of arguments (run without a shell), e.g. [systemctl, restart, app]',
    'heal.timout: unknown key (did you mean timeout?); accepted keys here: command, timeout, kill_grace, cooldown, max_per_hour, verify_after, grace, backoff, backoff_max, backoff_reset, stop_when_exhausted, resume_after',
    `interval: "often" is not a duration; ${DURATION}`,
    `extra: unknown key; accepted top-level keys: ${TOP_KEYS}`,
    `health.url: "not a url" is not a valid URL; ${PROBE_URL}`,
    'health.timeout: "-1s" is negative; use a positive duration, e.g. "10s"',
    'latency.sigma: 0 is too small; use a number greater than 0',
    'actions.cpu: "restart" is not accepted; use one of heal, alert, log',
  ],
};

/** File name → the one-line syntax message after `config FILE: ` (CONFIG_SYNTAX). */
const SYNTAX: Record<string, string> = {
  'yaml-bad-indent.yaml': 'YAML syntax error at line 3, column 5: this line is indented more than the key above it; indent the keys of one block to the same column',
  'yaml-tab.yaml': 'YAML syntax error at line 2, column 1: a tab is used for indentation; indent with spaces',
  'yaml-unclosed-quote.yaml': 'YAML syntax error at line 3, column 8: the quote opened here is never closed; add the closing "',
  'duplicate-key.yaml': 'YAML syntax error at line 3, column 1: key "interval" is given twice in the same block; keep one',
  'json-syntax.json': 'JSON syntax error at line 3, column 52: Expected double-quoted property name',
  'conditions-unquoted.yaml': 'YAML syntax error at line 3, column 7: a condition that starts with [ is read as a YAML list; quote it, e.g. - "[STATUS] == 200"',
};

/** Secrets written in fixtures that no message may contain. */
const SECRETS: Record<string, string[]> = {
  'url-credentials-invalid.yaml': ['secret', 'user'],
  'webhook-credentials-invalid.yaml': ['hunter2', 'hooks:'],
  'header-number.yaml': ['12345'],
  'header-newline.yaml': ['s3cr3t', 'Bearer'],
  'http-token-space.yaml': ['s3cret', 'spaces'],
};

async function loadError(name: string): Promise<GuardError> {
  const err = await loadConfig({ file: `${DIR}/${name}`, env: {}, cwd: DIR }).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof GuardError)) throw new Error(`${name}: expected a GuardError, got ${String(err)}`);
  return err;
}

describe('invalid config fixtures: exact problem lines', () => {
  it('has at least 24 fixtures, each with its expected message', () => {
    expect(Object.keys(INVALID).length + Object.keys(SYNTAX).length).toBeGreaterThanOrEqual(24);
  });

  it.each(Object.entries(INVALID))('%s', async (name, lines) => {
    const err = await loadError(name);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.details).toEqual(lines);
    expect(err.message).toBe(`config ${DIR}/${name} has ${lines.length === 1 ? '1 problem' : `${lines.length} problems`}`);
    expect(err.hint).toBe('fix the keys above; `anomaly-guard init` writes a commented config with every key and default');
  });

  it.each(Object.entries(SYNTAX))('%s', async (name, message) => {
    const err = await loadError(name);
    expect(err.code).toBe('CONFIG_SYNTAX');
    expect(err.message).toBe(`config ${DIR}/${name}: ${message}`);
    expect(err.details).toEqual([]);
  });

  it.each(Object.entries(SECRETS))('%s: the secret is not in any message', async (name, secrets) => {
    const err = await loadError(name);
    const everything = [err.message, ...err.details, err.hint ?? ''].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('the not-executable fixture really is not executable (precondition)', () => {
    expect(() => accessSync(`${DIR}/scripts/not-executable.sh`, constants.X_OK)).toThrow();
  });
});

type Run = { code: number; stdout: string; stderr: string[] };

// Runs the built CLI; ANOMALY_GUARD_CONFIG comes only from `env`, never from the test's own environment.
function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<Run> {
  const env = { ...process.env, ANOMALY_GUARD_CONFIG: undefined, ...opts.env };
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr: stderr.split('\n').filter((l) => l !== '') });
    });
  });
}

describe('validate through the built CLI', () => {
  let tmp: string;
  beforeAll(() => {
    // npm test builds first; build here only when dist/ is missing (a build wipes dist/ under other tests).
    if (!existsSync(CLI)) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT });
    tmp = mkdtempSync(join(tmpdir(), 'ag-validate-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('lists every problem of a file, one per line, then the hint, and exits 2', async () => {
    const lines = INVALID['several-problems.yaml'] ?? [];
    const run = await cli(['validate', '-c', `${DIR}/several-problems.yaml`]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toEqual([`anomaly-guard validate: config ${DIR}/several-problems.yaml has 8 problems`, ...lines.map((l) => `  ${l}`), HINT]);
  });

  it.each(['interval-zero.yaml', 'heal-command-missing.yaml', 'percent-150.yaml', 'keep-alive-string.yaml'])('%s: one problem line, exit 2', async (name) => {
    const run = await cli(['validate', '-c', `${DIR}/${name}`], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([`anomaly-guard validate: config ${DIR}/${name} has 1 problem`, `  ${INVALID[name]?.[0]}`, HINT]);
  });

  it('shows a bad condition under its problem line with a caret at the character', async () => {
    const run = await cli(['validate', '-c', `${DIR}/conditions-bad.yaml`]);
    expect(run.code).toBe(2);
    expect(run.stderr.slice(1, 4)).toEqual([
      `  health.conditions[1]: unknown placeholder [STAUTS]; use one of ${PLACEHOLDERS} (character 1)`,
      '      [STAUTS] == 200',
      '      ^',
    ]);
  });

  it.each(['yaml-tab.yaml', 'json-syntax.json'])('%s: the syntax error with its line, exit 2', async (name) => {
    const run = await cli(['validate', '-c', `${DIR}/${name}`]);
    expect(run.code).toBe(2);
    expect(run.stderr[0]).toBe(`anomaly-guard validate: config ${DIR}/${name}: ${SYNTAX[name]}`);
    expect(run.stderr[1]).toMatch(/^hint: fix the (YAML|JSON)/);
  });

  it('never prints a header value', async () => {
    const run = await cli(['validate', '-c', `${DIR}/header-number.yaml`]);
    expect(run.code).toBe(2);
    expect(run.stderr.join('\n')).not.toContain('12345');
  });

  it('-c to a missing file: CONFIG_NOT_FOUND naming the path, exit 2', async () => {
    const run = await cli(['validate', '-c', 'nope/missing.yaml'], { cwd: tmp });
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([
      `anomaly-guard validate: config file ${tmp}/nope/missing.yaml (from -c) does not exist`,
      'hint: create it with `anomaly-guard init FILE` or fix the path',
    ]);
  });

  it('$ANOMALY_GUARD_CONFIG names the file when there is no -c', async () => {
    const run = await cli(['validate'], { cwd: tmp, env: { ANOMALY_GUARD_CONFIG: `${DIR}/sigma-zero.yaml` } });
    expect(run.code).toBe(2);
    expect(run.stderr).toEqual([`anomaly-guard validate: config ${DIR}/sigma-zero.yaml has 1 problem`, `  ${INVALID['sigma-zero.yaml']?.[0]}`, HINT]);
    const missing = await cli(['validate'], { cwd: tmp, env: { ANOMALY_GUARD_CONFIG: 'gone.yaml' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr[0]).toBe(`anomaly-guard validate: config file ${tmp}/gone.yaml (from $ANOMALY_GUARD_CONFIG) does not exist`);
  });

  it('./anomaly-guard.yaml in the working folder is found; an empty one is the defaults, valid', async () => {
    const dir = mkdtempSync(join(tmp, 'cwd-'));
    writeFileSync(join(dir, 'anomaly-guard.yaml'), 'intervall: 5m\n');
    const bad = await cli(['validate'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr[0]).toBe(`anomaly-guard validate: config ${dir}/anomaly-guard.yaml has 1 problem`);
    writeFileSync(join(dir, 'anomaly-guard.yaml'), '');
    const good = await cli(['validate'], { cwd: dir });
    expect(good).toEqual({ code: 0, stdout: `${dir}/anomaly-guard.yaml is valid\n`, stderr: [] });
  });

  it('check with an invalid config is UNKNOWN (3), with the same problem lines', async () => {
    const run = await cli(['check', '-c', `${DIR}/window-one.yaml`]);
    expect(run.code).toBe(3);
    expect(run.stderr).toEqual([`anomaly-guard check: config ${DIR}/window-one.yaml has 1 problem`, `  ${INVALID['window-one.yaml']?.[0]}`, HINT]);
  });
});
