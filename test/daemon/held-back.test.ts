// The log made unwritable under a running daemon (its folder replaced by a file), then fixed: the daemon
// keeps running, reports it (stderr even with --quiet, scheduler.log), holds the records back, and
// writes them first, in order, once the log can be written again.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { gapsMs, killAll, schedulerLines, startDaemon, waitFor } from './daemon-process.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  killAll();
  env?.cleanup();
});

describe('anomaly-guard run: the log becomes unwritable, then writable again', () => {
  it('holds the records back and writes them in order after the fix', async () => {
    env = guardEnv(server.url);
    // scheduler.log lives in another folder, so it can tell what happened to the log's folder.
    env.writeConfig({ interval: '1s', scheduler_log: 'sched/scheduler.log' });
    const sched = join(env.dir, 'sched', 'scheduler.log');
    const logs = join(env.dir, 'logs');
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('the first check', () => env.records().length >= 1);

    rmSync(logs, { recursive: true });
    writeFileSync(logs, 'a file where the log folder was');
    const held = await waitFor('2 cycles held back', () => schedulerLines(sched).find((l) => /, 2 records held back; not readable either$/.test(l)), 5000);
    expect(held).toMatch(/^cycle \d+ end after .* s: OK; log not writable: cannot write log .*anomaly_guard\.ndjson: a part of the path is not a folder \(ENOTDIR\); .*, 2 records held back; not readable either$/);
    await waitFor('the problem on stderr', () => daemon.stderr().includes('log not writable')); // a pipe: may trail scheduler.log // a problem is echoed even with --quiet

    rmSync(logs);
    mkdirSync(logs);
    await waitFor('the held records written', () => schedulerLines(sched).some((l) => /log writable again: \d+ held-back records written$/.test(l)), 3000);
    expect(await daemon.stop()).toBe(0);

    const lines = schedulerLines(sched);
    expect(lines).toContainEqual(expect.stringMatching(/^lock file .*anomaly_guard\.ndjson\.lock was gone; taken again$/));
    const checks = env.records().filter((r) => r.event === undefined);
    expect(checks.length).toBeGreaterThanOrEqual(3); // the held ones, then the one that wrote them
    const times = checks.map((r) => r.ts as string);
    expect([...times].sort()).toEqual(times); // in order
    for (const gap of gapsMs(times)) expect(gap).toBeLessThan(1500); // no cycle lost
  });
});
