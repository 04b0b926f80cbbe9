// Files the guard writes that are not what they seem, through the real commands: a log that cannot be
// read back (/dev/null, a FIFO, a socket, a folder) is a config error, not a guard without memory; a
// symbolic link, a file of another user or a hard link is never written through (the guard often runs as
// root); a lock file that is a FIFO does not freeze the daemon.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, runCli, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { killAll, schedulerLines, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { strictRecords } from './fault-helpers.js';

const server = sharedHealthServer();
let env: GuardEnv;
let socket: net.Server | null = null;
afterEach(() => {
  killAll();
  socket?.close();
  socket = null;
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const asRoot = process.geteuid?.() === 0;
const rootIt = asRoot ? it : it.skip;
const NOBODY = 65534;
const READ_BACK = 'the guard reads its records back (the latency baseline, the heal budget), which only a regular file allows; give a regular file, e.g. logs/anomaly_guard.ndjson';
const lockFiles = (log: string): string[] => [`${log}.lock`, `${log}.heal.lock`].filter((f) => existsSync(f));

async function listen(path: string): Promise<void> {
  socket = net.createServer();
  await new Promise<void>((done) => socket?.listen(path, done));
}

/** Makes the special file at `path` the test needs; returns the words the message uses for it. */
const SPECIALS: [name: string, make: (path: string) => Promise<string | null>, kind: string][] = [
  ['/dev/null', async () => '/dev/null', 'a character device'],
  ['a FIFO', async (p) => (execFileSync('mkfifo', [p]), p), 'a FIFO (named pipe)'],
  ['a socket', async (p) => (await listen(p), p), 'a socket'],
  ['a folder', async (p) => (mkdirSync(p), p), 'a folder'],
];

describe('log_file that cannot be read back: validate exit 2, check exit 3, run exit 2, no lock files', () => {
  it.each(SPECIALS)('%s', async (_name, make, kind) => {
    env = guardEnv(server.url);
    const log = (await make(join(env.dir, 'special'))) as string;
    const locksBefore = lockFiles(log);
    env.writeConfig({ log_file: log, heal: { command: [process.execPath, '-e', '0'] } });
    server.setMode({ kind: 'http', code: 503 }); // a heal would be due: its lock must not be taken either
    const problem = `  log_file: ${log} is ${kind}, not a regular file; ${READ_BACK}\n`;

    const validate = await env.run(['validate']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(problem);
    const check = await env.run(['check']);
    expect(check.code).toBe(3);
    expect(check.stderr).toContain(problem);
    const run = await env.run(['run', '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(problem);
    expect(lockFiles(log)).toEqual(locksBefore);
  });

  it('a log_file ending in "/" names a folder', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ log_file: 'logs/' });
    const validate = await env.run(['validate']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('  log_file: "logs/" ends with "/", so it names a folder; give a file path, e.g. logs/anomaly_guard.ndjson\n');
  });

  it('log_file on /proc (a kernel interface, not a disk)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ log_file: '/proc/anomaly_guard.ndjson' });
    const validate = await env.run(['validate']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain('  log_file: /proc/anomaly_guard.ndjson is on a proc file system (a kernel interface, not a disk); give a file on a disk, e.g. logs/anomaly_guard.ndjson\n');
  });

  it('log_file and scheduler_log the same file, or the config file itself', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ log_file: 'logs/guard.log', scheduler_log: 'logs/guard.log' });
    const same = await env.run(['validate']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain(`  scheduler_log: ${join(env.dir, 'logs/guard.log')} is also log_file; give each its own file, e.g. logs/scheduler.log\n`);
    env.writeConfig({ log_file: 'anomaly-guard.json' });
    const config = await env.run(['validate']);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain(`  log_file: ${env.configFile} is the config file itself; give the log its own file, e.g. logs/anomaly_guard.ndjson\n`);
  });

  it('scheduler_log may be /dev/null (its lines still go to stderr), but not a FIFO', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ scheduler_log: '/dev/null' });
    expect((await env.run(['validate'])).code).toBe(0);
    execFileSync('mkfifo', [join(env.dir, 'fifo')]);
    env.writeConfig({ scheduler_log: 'fifo' });
    const fifo = await env.run(['validate']);
    expect(fifo.code).toBe(2);
    expect(fifo.stderr).toContain(`  scheduler_log: "fifo" (${join(env.dir, 'fifo')}) is a FIFO (named pipe), not a regular file; give a regular file, e.g. logs/scheduler.log, or /dev/null to keep its lines on stderr only\n`);
  });
});

describe('files the guard writes are never followed through a link, nor (as root) taken from another user', () => {
  const victimIn = (dir: string): string => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'precious\n');
    if (asRoot) chownSync(victim, NOBODY, NOBODY);
    return victim;
  };

  it('a symbolic link as log_file or scheduler_log: validate exit 2, check exit 3, the target untouched', async () => {
    env = guardEnv(server.url);
    const victim = victimIn(env.dir);
    mkdirSync(join(env.dir, 'logs'));
    symlinkSync(victim, env.logFile);
    const validate = await env.run(['validate']);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toContain(`  log_file: "logs/anomaly_guard.ndjson" (${env.logFile}) is a symbolic link (to ${victim}); the guard never writes through a link; point log_file at the file itself\n`);
    expect((await env.run(['check'])).code).toBe(3);
    rmSync(env.logFile);
    symlinkSync(victim, join(env.dir, 'logs', 'scheduler.log'));
    const sched = await env.run(['validate']);
    expect(sched.code).toBe(2);
    expect(sched.stderr).toContain(`  scheduler_log: "logs/scheduler.log" (${join(env.dir, 'logs/scheduler.log')}) is a symbolic link (to ${victim}); the guard never writes through a link; point scheduler_log at the file itself\n`);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });

  rootIt('as root: a log owned by another user, or with a second hard link, is not written (check exit 3)', async () => {
    env = guardEnv(server.url);
    env.seedLog(seedChecks([10]));
    const before = readFileSync(env.logFile, 'utf8');
    chownSync(env.logFile, NOBODY, NOBODY);
    const foreign = await env.run(['check']);
    expect(foreign.code).toBe(3);
    expect(foreign.stderr).toContain(`cannot write log ${env.logFile}: is owned by uid ${NOBODY}, not root; running as root, the guard writes only to its own files; chown it to root, or run the guard as uid ${NOBODY}\n`);
    chownSync(env.logFile, 0, 0);
    linkSync(env.logFile, join(env.dir, 'other-name'));
    const linked = await env.run(['check']);
    expect(linked.code).toBe(3);
    expect(linked.stderr).toContain(`cannot write log ${env.logFile}: has 2 hard links; running as root, the guard writes only to a file with one (another name could be any file); remove the other names, or point log_file at a new file\n`);
    expect(readFileSync(env.logFile, 'utf8')).toBe(before);
  });

  rootIt('the log and scheduler.log swapped for links under a running daemon (as root): held back, the targets untouched', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s', scheduler_log: 'sched/scheduler.log' });
    const sched = join(env.dir, 'sched', 'scheduler.log');
    const victim = victimIn(env.dir);
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('2 checks', () => env.records().length >= 2, 10_000);

    const before = strictRecords(env.logFile).length;
    rmSync(env.logFile);
    symlinkSync(victim, env.logFile);
    rmSync(sched);
    symlinkSync(victim, sched);
    await waitFor('the refusal on stderr', () => /log not writable: cannot write log .*anomaly_guard\.ndjson: is a symbolic link/.test(daemon.stderr()), 10_000);
    await waitFor('the scheduler log refusal on stderr', () => daemon.stderr().includes(`cannot write scheduler log ${sched}: is a symbolic link`), 5000);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(statSync(victim).uid).toBe(NOBODY);

    rmSync(env.logFile);
    rmSync(sched);
    await waitFor('the held records written', () => schedulerLines(sched).some((l) => /log writable again: \d+ held-back records? written$/.test(l)), 10_000);
    expect(await daemon.stop()).toBe(0);
    expect(strictRecords(env.logFile).length).toBeGreaterThanOrEqual(2); // the held ones, then the one that wrote them
    expect(before).toBeGreaterThanOrEqual(2);
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
  });
});

describe('lock files that are not locks', () => {
  it('a FIFO as the daemon lock: run exits 1 at once naming it (before: blocked forever reading it)', async () => {
    env = guardEnv(server.url);
    mkdirSync(join(env.dir, 'logs'));
    execFileSync('mkfifo', [`${env.logFile}.lock`]);
    const run = await runCli(['run', '--quiet', '-c', env.configFile], { timeoutMs: 10_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot use lock file ${env.logFile}.lock: it is a FIFO (named pipe), not a lock; remove it`);
  });

  it('a FIFO as the heal lock: check exits 3 naming it, no heal runs', async () => {
    env = guardEnv(server.url);
    const marker = join(env.dir, 'healed');
    env.writeConfig({ heal: { command: [process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`] } });
    mkdirSync(join(env.dir, 'logs'));
    execFileSync('mkfifo', [`${env.logFile}.heal.lock`]);
    server.setMode({ kind: 'http', code: 503 });
    const check = await runCli(['check', '-c', env.configFile], { timeoutMs: 10_000 });
    expect(check.code).toBe(3);
    expect(check.stderr).toContain(`cannot use lock file ${env.logFile}.heal.lock: it is a FIFO (named pipe), not a lock; remove it`);
    expect(existsSync(marker)).toBe(false);
  });
});
