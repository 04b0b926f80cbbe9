// Logs the read commands must survive, through the built CLI: lines that are valid JSON but not valid
// records (a field of the wrong type), strings that would drive a terminal (ANSI escapes, C1 and bidi
// controls, CR, BEL), a 10 MB line, and no log at all.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, guardEnv, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { wrongTypeRecords } from '../helpers/record-samples.js';
import { waitFor } from '../daemon/daemon-process.js';

let env: GuardEnv;
afterEach(() => env?.cleanup());

const ts = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString().replace('Z', '000Z');
// Anything a terminal would act on: C0 but newline, DEL, C1, bidi controls, line/paragraph separators.
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/u;
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

// The CLI's stdout however long (runCli keeps 1 MiB).
function runWhole(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout))));
}

describe('tail and status: valid JSON, invalid records', () => {
  // The two of the review, then every known field of every kind with a value of the wrong type.
  const invalid: [string, Record<string, unknown>][] = [
    ['check with lat {}', { ts: ts(50_000), lat: {} }],
    ['trigger with reasons "x"', { event: 'anomaly_trigger', ts: ts(50_000), reasons: 'x' }],
    ...wrongTypeRecords(ts(50_000)),
  ];
  const seed = (): { check: object; trigger: object } => {
    const check = seedChecks([10], { endMs: Date.now() - 120_000 })[0] as object;
    const trigger = { event: 'anomaly_trigger', ts: ts(110_000), reasons: ['health_unhealthy (HTTP 503)'], latency: 3, score: null, cpu: 1, mem: 2, disk: 3 };
    env = guardEnv('http://127.0.0.1:9/health');
    env.seedLog([check, trigger, ...invalid.map(([, r]) => r)]);
    return { check, trigger };
  };

  it(`tail shows each of ${invalid.length} raw, with the field that is wrong; exit 0`, async () => {
    seed();
    const run = await env.run(['tail', '-n', '1000']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const out = lines(run.stdout).slice(2);
    expect(out).toHaveLength(invalid.length);
    out.forEach((line, i) => {
      expect(line).toMatch(/^(\S+|\(no ts\)) {2}\S+ +invalid record \(.+\): \{/);
      expect(line.endsWith(JSON.stringify(invalid[i]![1]))).toBe(true);
    });
    expect(out[0]).toContain('check             invalid record (lat.latency_ms is missing): {');
    expect(out[1]).toContain('anomaly_trigger   invalid record (reasons is a string, not a list): {');
  });

  it('status passes over them, counts them, and shows the newest valid check and trigger; exit 0', async () => {
    const { check, trigger } = seed();
    const json = await env.run(['status', '--json']);
    expect(json.code).toBe(0);
    const s = JSON.parse(json.stdout);
    expect(s.latest_check).toEqual(check);
    expect(s.last_trigger).toEqual(trigger);
    expect(s.invalid_records).toBe(invalid.length);
    const human = await env.run(['status']);
    expect(human.code).toBe(0);
    expect(human.stderr).toBe(`anomaly-guard status: passed over ${invalid.length} record(s) of no known kind or with fields of the wrong type in ${env.logFile} (\`anomaly-guard tail\` shows them)\n`);
    expect(human.stdout).toMatch(/^trigger {5}\S+Z {2}anomaly_trigger +health_unhealthy \(HTTP 503\) \(\d+[smh] ago\)$/m);
  });
});

describe('tail and status: log strings that would drive a terminal', () => {
  const hostile = 'x\u001b]0;owned\u0007\u001b[2J\u009b31m\r\u202eevil\u2028\u0000\u007f';

  it('reach the terminal as visible escapes; --json prints the same values with nothing raw', async () => {
    env = guardEnv('http://127.0.0.1:9/health');
    const records = [
      { event: 'heal_suppressed', ts: ts(3000), why: 'cooldown', detail: hostile },
      { event: 'anomaly_trigger', ts: ts(2000), reasons: [hostile], latency: 1, score: null, cpu: 1, mem: 1, disk: 1 },
      { ts: ts(1000), lat: { latency_ms: 1, ok: false, error: hostile }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null },
    ];
    const invalid = { event: 'heal_verify', ts: ts(500), recovered: hostile };
    env.seedLog([...records, invalid]);
    const shown = 'x\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\r\\u202eevil\\u2028\\x00\\x7f';
    for (const args of [['tail'], ['status'], ['tail', '--json'], ['status', '--json']]) {
      const run = await env.run(args);
      expect(run.code, args.join(' ')).toBe(0);
      expect(RAW_CONTROL.test(run.stdout + run.stderr), args.join(' ')).toBe(false);
      if (!args.includes('--json')) expect(run.stdout, args.join(' ')).toContain(shown);
    }
    const tail = await env.run(['tail']);
    expect(lines(tail.stdout)).toHaveLength(4); // the \u2028 and the CR start no new line
    expect(lines(tail.stdout)[3]).toContain('invalid record (recovered is a string, not boolean): {"event":"heal_verify"');
    const raw = await env.run(['tail', '--json', '-n', '3']);
    expect(lines(raw.stdout).map((l) => JSON.parse(l))).toEqual([...records.slice(1), invalid]);
  });

  it('a 10 MB line prints at most 1000 characters and says how many more there were; --json prints it whole', async () => {
    env = guardEnv('http://127.0.0.1:9/health');
    const big = { event: 'anomaly_trigger', ts: ts(1000), reasons: ['y'.repeat(10 * 1024 * 1024)], latency: 1, score: null, cpu: 1, mem: 1, disk: 1 };
    env.seedLog([big]);
    const run = await env.run(['tail', '-n', '1']);
    expect(run.code).toBe(0);
    const line = run.stdout.trimEnd();
    const head = `${big.ts}  anomaly_trigger   `;
    const more = head.length + 10 * 1024 * 1024 - 1000;
    expect(line).toBe(`${head}${'y'.repeat(1000 - head.length)}… [${more} more characters; tail --json prints the whole record]`);
    const raw = await runWhole(['tail', '-n', '1', '--json', '-c', env.configFile]);
    expect(JSON.parse(raw)).toEqual(big);
    const status = await env.run(['status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^trigger {5}.{988}… \[\d+ more characters; status --json prints the whole record\]$/m);
  });
});

describe('tail and status: a log that cannot be read', () => {
  it('is LOG_UNREADABLE naming the file and the cause (exit 1), not an unexpected error', async () => {
    env = guardEnv('http://127.0.0.1:9/health');
    writeFileSync(dirname(env.logFile), 'not a folder\n'); // a file where the log's folder should be
    for (const cmd of ['tail', 'status']) {
      const run = await env.run([cmd]);
      expect(run.code, cmd).toBe(1);
      expect(run.stderr, cmd).toBe(`anomaly-guard ${cmd}: cannot read log ${env.logFile}: a part of the path is a file, not a folder (ENOTDIR)\nhint: point log_file at a file in a folder this user can read and write\n`);
    }
  });

  it('a folder where the log should be is a config problem naming log_file and the fix (exit 1)', async () => {
    env = guardEnv('http://127.0.0.1:9/health');
    mkdirSync(env.logFile, { recursive: true });
    for (const cmd of ['tail', 'status']) {
      const run = await env.run([cmd]);
      expect(run.code, cmd).toBe(1);
      expect(run.stderr, cmd).toContain(`log_file: "logs/anomaly_guard.ndjson" (${env.logFile}) is a folder, not a regular file;`);
      expect(run.stderr, cmd).not.toMatch(/at .*\.js:\d+/); // no stack trace
    }
  });
});

describe('tail: no log yet', () => {
  it('says so on stderr, naming the file; prints nothing; exit 0 (the contract: tail exits 0)', async () => {
    env = guardEnv('http://127.0.0.1:9/health');
    for (const args of [['tail'], ['tail', '--json']]) {
      const run = await env.run(args);
      expect(run).toEqual({ code: 0, stdout: '', stderr: `anomaly-guard tail: no log yet at ${env.logFile}\n` });
    }
  });

  it('with -f: says it waits, then shows the records once the log appears; exit 0 on SIGTERM', async () => {
    env = guardEnv('http://127.0.0.1:9/health');
    const child = spawn(process.execPath, [CLI, 'tail', '-f', '-c', env.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor('the waiting message', () => err.includes('waiting for it'), 10_000);
      expect(err).toBe(`anomaly-guard tail: no log yet at ${env.logFile}; waiting for it\n`);
      env.seedLog(seedChecks([12.5]));
      await waitFor('the record', () => out.includes('12.5 ms'), 10_000);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
