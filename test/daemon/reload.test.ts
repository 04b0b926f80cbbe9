// SIGHUP end to end: an invalid config is reported (scheduler.log and stderr) and the old one kept;
// a valid one with interval 2s changes the cadence of the running daemon.
import { writeFileSync } from 'node:fs';
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

const checkTimes = (): string[] => env.records().filter((r) => r.event === undefined).map((r) => r.ts as string);

describe('anomaly-guard run: SIGHUP reloads the config', () => {
  it('keeps the old config when the new one is invalid, and takes a valid one (interval 2s) for the next cycles', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s' });
    const daemon = startDaemon(env.configFile);
    const sched = join(env.dir, 'logs', 'scheduler.log');
    await waitFor('2 checks', () => checkTimes().length >= 2);

    writeFileSync(env.configFile, JSON.stringify({ interval: '0s', helth: {} }));
    daemon.child.kill('SIGHUP');
    const failed = await waitFor('the reload failure', () => schedulerLines(sched).find((l) => l.startsWith('reload (SIGHUP) failed')));
    expect(failed).toMatch(/^reload \(SIGHUP\) failed, old config kept: config .*anomaly-guard\.json has 2 problems: .*interval.*; .*helth/);
    // The same line reaches stderr through a pipe: it may arrive a moment after scheduler.log has it.
    await waitFor('the reload failure on stderr', () => daemon.stderr().includes('reload (SIGHUP) failed, old config kept'));
    const n = checkTimes().length;
    await waitFor('2 more checks at the old cadence', () => checkTimes().length >= n + 2, 4000);
    // Cycles start on a fixed 1 s grid; a record's time adds the cycle's own (load-dependent) run time, so
    // compare the mean gap: 1 s at the old cadence against 2 s at the new one.
    const mean = (gaps: number[]): number => gaps.reduce((a, b) => a + b, 0) / gaps.length;
    expect(mean(gapsMs(checkTimes().slice(-3)))).toBeLessThan(1500);

    env.writeConfig({ interval: '2s' });
    daemon.child.kill('SIGHUP');
    await waitFor('the reload', () => schedulerLines(sched).some((l) => /^reload \(SIGHUP\): ok, config .*; changed: interval$/.test(l)));
    const m = checkTimes().length;
    // The tick already planned comes at the old cadence; from it on, every 2 s.
    await waitFor('2 checks at the new cadence', () => checkTimes().length >= m + 2, 6000);
    const [gap] = gapsMs(checkTimes().slice(-2));
    expect(gap).toBeGreaterThan(1600);
    expect(gap).toBeLessThan(2800);
    expect(await daemon.stop()).toBe(0);
  });
});
