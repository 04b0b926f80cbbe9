// The config file and the files it names, as the real commands read them: a FIFO, a link to /dev/zero, a
// file too large, a file this user may not read; at start (validate, check, run) and on SIGHUP, where the
// daemon must keep running, keep its memory and still stop on SIGTERM.
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, guardEnv, runCli, type CliRun, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { killAll, schedulerLines, startDaemon, waitFor } from '../daemon/daemon-process.js';

const server = sharedHealthServer();
let env: GuardEnv;
let dir = '';
afterEach(() => {
  killAll();
  env?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

const asRoot = process.geteuid?.() === 0;
const FIX_PATH = 'hint: point -c (or $ANOMALY_GUARD_CONFIG) at the config file itself\n';

/** Each bad config file: how to make it at `path`, and the first line `validate` prints. */
const BAD_CONFIGS: [name: string, make: (path: string) => void, line: (path: string) => string, hint: (path: string) => string][] = [
  ['a FIFO (before: validate blocked forever)', (p) => execFileSync('mkfifo', [p]), (p) => `cannot read config ${p}: it is a FIFO (named pipe), not a regular file`, () => FIX_PATH],
  ['a link to /dev/zero (before: memory grew until the read failed)', (p) => symlinkSync('/dev/zero', p), (p) => `cannot read config ${p}: it is a character device, not a regular file`, () => FIX_PATH],
  [
    'a 2 MiB file',
    (p) => writeFileSync(p, `# ${'x'.repeat(2 * 1024 * 1024)}\ninterval: 5m\n`),
    (p) => `cannot read config ${p}: it is 2 MiB, larger than 1 MiB, the most the guard reads of it`,
    (p) => `hint: a config is a few KiB; check that ${p} is the config file (at most 1 MiB)\n`,
  ],
];

describe('a config file that is not a small regular file: validate 2, check 3, run 2, at once', () => {
  it.each(BAD_CONFIGS)('%s', async (_name, make, line, hint) => {
    dir = mkdtempSync(join(tmpdir(), 'ag-cfgfile-'));
    const file = join(dir, 'guard.yaml');
    make(file);
    const validate = await runCli(['validate', '-c', file], { timeoutMs: 10_000 });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toBe(`anomaly-guard validate: ${line(file)}\n${hint(file)}`);
    expect((await runCli(['check', '-c', file], { timeoutMs: 10_000 })).code).toBe(3);
    const run = await runCli(['run', '-c', file], { timeoutMs: 10_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(line(file));
  });

  it.runIf(asRoot)('a config this user may not read names the file, says permission denied and what would fix it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ag-cfgfile-'));
    chmodSync(dir, 0o755);
    const file = join(dir, 'guard.yaml');
    writeFileSync(file, 'interval: 5m\n', { mode: 0o600 });
    const run = await new Promise<CliRun>((done) => {
      execFile(process.execPath, [CLI, 'validate', '-c', file], { uid: 65534, gid: 65534, timeout: 10_000 }, (err, stdout, stderr) => {
        done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `anomaly-guard validate: cannot read config ${file}: permission denied (EACCES)\n` +
        `hint: make the file and its folders readable by the user running anomaly-guard (uid 65534) (it is owned by uid 0), e.g. give that user's group read access (chgrp GROUP ${file}; chmod 0640 ${file}), or run anomaly-guard as the file's owner\n`,
    );
  });
});

describe('files the config names that the guard reads', () => {
  it('health.ca_file a FIFO: a config error (before: validate passed, then check blocked forever)', async () => {
    env = guardEnv(server.url);
    execFileSync('mkfifo', [join(env.dir, 'ca.pem')]);
    env.writeConfig({ health: { ca_file: 'ca.pem' } });
    const validate = await runCli(['validate', '-c', env.configFile], { timeoutMs: 10_000 });
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`  health.ca_file: "ca.pem" (${join(env.dir, 'ca.pem')}) is a FIFO (named pipe), not a regular file; give a file of CA certificates in PEM form\n`);
  });

  it('health.ca_file without a PEM certificate (before: accepted silently)', async () => {
    env = guardEnv(server.url);
    writeFileSync(join(env.dir, 'ca.der'), Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82]));
    env.writeConfig({ health: { ca_file: 'ca.der' } });
    const validate = await env.run(['validate']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(
      `  health.ca_file: "ca.der" (${join(env.dir, 'ca.der')}) holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line); give the CA certificate in PEM form, e.g. from a DER file: openssl x509 -inform der -in ca.der -out ca.pem\n`,
    );
  });

  it('resources.cgroup files and /proc are still read (small kernel files that say they are empty)', async () => {
    env = guardEnv(server.url);
    // This machine's own figures may be high: every finding only logged, so the exit status is 0.
    env.writeConfig({ resources: { procfs: '/proc', cgroup: '/sys/fs/cgroup' }, actions: { latency: 'log', cpu: 'log', mem: 'log', disk: 'log' } });
    const check = await env.run(['check', '--json']);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    const record = JSON.parse(check.stdout.split('\n')[0] as string) as { res: { cpu: unknown; mem: unknown } };
    expect(typeof record.res.cpu).toBe('number');
    expect(typeof record.res.mem).toBe('number');
  });
});

describe('SIGHUP with a config that is not a small regular file', () => {
  const rssKb = (pid: number): number => Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);

  it('a link to /dev/zero: refused at once, the old config kept, memory as before (before: 3.8 GB in 12 s)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s' });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    const sched = join(env.dir, 'logs', 'scheduler.log');
    await waitFor('a check', () => env.records().length >= 1, 10_000);
    const before = rssKb(daemon.pid);
    rmSync(env.configFile);
    symlinkSync('/dev/zero', env.configFile);
    daemon.child.kill('SIGHUP');
    const line = await waitFor('the reload failure', () => schedulerLines(sched).find((l) => l.startsWith('reload (SIGHUP) failed')), 10_000);
    expect(line).toBe(`reload (SIGHUP) failed, old config kept: cannot read config ${env.configFile}: it is a character device, not a regular file`);
    const n = env.records().length;
    await waitFor('2 more checks', () => env.records().length >= n + 2, 10_000);
    // The peak resident size: reading /dev/zero whole would add gigabytes; a few MB of noise are allowed.
    expect(rssKb(daemon.pid) - before).toBeLessThan(64 * 1024);
    expect(await daemon.stop()).toBe(0);
  });

  it('a FIFO: refused at once, and SIGTERM still stops the daemon (before: frozen, SIGTERM ignored)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s' });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    const sched = join(env.dir, 'logs', 'scheduler.log');
    await waitFor('a check', () => env.records().length >= 1, 10_000);
    rmSync(env.configFile);
    execFileSync('mkfifo', [env.configFile]);
    daemon.child.kill('SIGHUP');
    const line = await waitFor('the reload failure', () => schedulerLines(sched).find((l) => l.startsWith('reload (SIGHUP) failed')), 10_000);
    expect(line).toBe(`reload (SIGHUP) failed, old config kept: cannot read config ${env.configFile}: it is a FIFO (named pipe), not a regular file`);
    expect(await daemon.stop('SIGTERM', 10_000)).toBe(0);
  });
});

describe('a file the guard cannot write names the cause in words, not a bare errno code', () => {
  it('init into a folder that does not exist (before: "cannot write …: ENOENT")', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ag-cfgfile-'));
    const file = join(dir, 'missing', 'guard.yaml');
    const run = await runCli(['init', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`anomaly-guard init: cannot write ${file}: no such file or directory (ENOENT)\nhint: check the folder exists and is writable\n`);
  });

  it('score --output into a folder that does not exist', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ag-cfgfile-'));
    writeFileSync(join(dir, 'in.csv'), 'timestamp,value\n2026-01-01T00:00:00Z,1\n');
    const out = join(dir, 'missing', 'out.csv');
    const run = await runCli(['score', '--input', join(dir, 'in.csv'), '--output', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write ${out}: no such file or directory (ENOENT)\n`);
  });
});
