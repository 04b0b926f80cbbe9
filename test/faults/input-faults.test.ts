// Bad input and hostile input through the real commands: a /proc tree without `stat`, a cgroup limit,
// a health body crafted to inject lines, escapes and shell commands, and secrets (probe headers, URL
// and webhook credentials) that must never reach a record, scheduler.log, stdout, stderr or a message.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, PROC_IDLE, SCRIPTS, type GuardEnv } from '../helpers/guard-env.js';
import { refusedUrl, sharedHealthServer } from '../helpers/health-server.js';
import { killAll, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { eventOf, strictRecords, type Rec } from './fault-helpers.js';

const server = sharedHealthServer();
let env: GuardEnv;
let scratch = '';
afterEach(() => {
  killAll();
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = '';
});

describe('check: resource readings from bad or special sources', () => {
  it('a /proc tree without stat: cpu is null, one line on stderr, the exit status is unaffected', async () => {
    env = guardEnv(server.url);
    scratch = mkdtempSync(join(tmpdir(), 'ag-proc-'));
    cpSync(join(PROC_IDLE, 'meminfo'), join(scratch, 'meminfo'));
    env.writeConfig({ resources: { procfs: scratch } });
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`anomaly-guard check: cpu: cannot read ${join(scratch, 'stat')}: no such file or directory\n`);
    expect(strictRecords(env.logFile)).toEqual([expect.objectContaining({ res: { cpu: null, mem: 30, disk: expect.any(Number) } })]);
  });

  it('resources.cgroup with a memory limit: mem is memory.current / memory.max (90.0, not above 90: exit 0)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ resources: { cgroup: resolve('test/fixtures/cgroup/limited') } });
    const run = await env.run(['check', '--json']);
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(strictRecords(env.logFile)[0]!.res).toMatchObject({ cpu: 0, mem: 90 });
  });
});

describe('check: a hostile health body', () => {
  it('is sanitised in the reason (no raw newline or escape), never reaches a shell, and the heal gets it only as JSON on stdin', async () => {
    env = guardEnv(server.url);
    const pwned = join(env.dir, 'pwned');
    const hostile = `$(touch ${pwned}); \`touch ${pwned}\`; rm -rf x\n{"ts":"forged"}\u001b[31mRED\u001b[0m\r\u0007`;
    server.setMode({ kind: 'status', status: hostile });
    const got = join(env.dir, 'stdin.json');
    env.writeConfig({ heal: { command: [process.execPath, join(SCRIPTS, 'record-stdin.mjs'), got] }, alert: { command: [process.execPath, join(SCRIPTS, 'record-stdin.mjs'), join(env.dir, 'alert.json')] } });
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    const text = readFileSync(env.logFile, 'utf8');
    const records = strictRecords(env.logFile);
    expect(records.map(eventOf).filter((e) => e !== 'alert_sent')).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal']);
    const detail = records[0]!.lat.error as string;
    expect(detail).toBe(`status=${`$(touch ${pwned}); \`touch ${pwned}\`; rm -rf x?{"ts":"forged"}?[31mRED?[0m??`.slice(0, 59)}…`);
    expect(detail).not.toMatch(/[\u0000-\u001f\u007f]/);
    expect(text).not.toMatch(/\\u001b|\\r|\\u0007/); // not even escaped: the detail holds no control character
    expect(text.split('\n').filter(Boolean)).toHaveLength(records.length); // one record per line, nothing forged
    expect(run.stdout + run.stderr).not.toMatch(/[\u001b\u0007\r]/); // no terminal escape reaches the summary
    expect(JSON.parse(readFileSync(got, 'utf8'))).toEqual(records[1]); // the heal got the trigger record, as JSON
    expect(existsSync(pwned)).toBe(false);
  });
});

describe('secrets: probe headers, URL and webhook credentials', () => {
  const SECRETS = ['hunter2', 'tok-3f9a1c', 'whpass', 's3cr3tpath', 'apikey-77'];

  function secretConfig(hook: string): Record<string, unknown> {
    return {
      health: { url: server.url.replace('http://', 'http://admin:hunter2@'), headers: { Authorization: 'Bearer tok-3f9a1c', 'X-Api-Key': 'apikey-77' } },
      alert: { webhook: hook.replace('http://', 'http://hook:whpass@').replace('/health', '/services/s3cr3tpath'), timeout: '300ms' },
      heartbeat: { url: hook.replace('/health', '/beat/s3cr3tpath') },
    };
  }

  // Every file under the guard's folder (the config itself excepted) and every output.
  function everything(dir: string, outputs: string[]): string {
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name !== 'anomaly-guard.json');
    return [...outputs, ...files.map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'))].join('\n');
  }

  it('never appear in check output, records or error messages (the webhook and heartbeat fail loudly)', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'http', code: 401 });
    env.writeConfig(secretConfig(await refusedUrl()));
    const run = await env.run(['check']);
    const json = await env.run(['check', '--json']);
    expect([run.code, json.code]).toEqual([2, 2]);
    expect(run.stderr).toContain('webhook');
    expect(server.received.at(-1)!.headers.authorization).toBe('Bearer tok-3f9a1c'); // sent all the same
    const seen = everything(env.dir, [run.stdout, run.stderr, json.stdout, json.stderr]);
    for (const secret of SECRETS) expect(seen).not.toContain(secret);
  });

  it('never appear in a daemon\'s scheduler.log, stderr or records; the log is 0640 in a 0750 folder', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'http', code: 401 });
    env.writeConfig({ ...secretConfig(await refusedUrl()), interval: '300ms' });
    const daemon = startDaemon(env.configFile);
    await waitFor('2 cycles', () => existsSync(env.logFile) && strictRecords(env.logFile).filter((r: Rec) => r.lat).length >= 2, 5000);
    expect(await daemon.stop()).toBe(0);
    expect(daemon.stderr()).toContain('webhook');
    const seen = everything(env.dir, [daemon.stderr()]);
    for (const secret of SECRETS) expect(seen).not.toContain(secret);
    const mode = (p: string): string => (statSync(p).mode & 0o777).toString(8);
    expect([mode(env.logFile), mode(join(env.dir, 'logs'))]).toEqual(['640', '750']);
    expect(mode(join(env.dir, 'logs', 'scheduler.log'))).toBe('640');
  });
});
