// `anomaly-guard run` end to end: the built daemon as a child process guarding a real health server
// on 127.0.0.1, at interval 1s. Cadence, a fault detected and healed, the heal budget under a storm,
// a clean stop on SIGTERM.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { gapsMs, killAll, schedulerLines, startDaemon, waitFor } from './daemon-process.js';

let server: HealthServer;
let control: Server;
let controlUrl: string;
let env: GuardEnv;
let healRuns = 0;
beforeAll(async () => {
  server = await startHealthServer();
  // The heal command calls this: it counts the heal and makes the service healthy again.
  control = createServer((_req, res) => {
    healRuns += 1;
    server.setMode({ kind: 'healthy' });
    res.end('ok');
  });
  await new Promise<void>((r) => control.listen(0, '127.0.0.1', () => r()));
  controlUrl = `http://127.0.0.1:${(control.address() as AddressInfo).port}/heal`;
});
afterAll(async () => {
  await server.close();
  await new Promise((r) => control.close(r));
});
afterEach(() => {
  killAll();
  env?.cleanup();
  server.setMode({ kind: 'healthy' });
  healRuns = 0;
});

type Rec = Record<string, any>;
const checks = (records: Rec[]): Rec[] => records.filter((r) => r.event === undefined);
const records = (): Rec[] => env.records();
const schedLog = (): string => join(env.dir, 'logs', 'scheduler.log');
const healViaControl = (): string[] => [process.execPath, '-e', 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1))', controlUrl];

describe('anomaly-guard run', () => {
  it('runs a cycle at start and then every interval; SIGTERM stops it cleanly (exit 0, whole last line, start/stop logged)', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s' });
    const daemon = startDaemon(env.configFile);
    const got = await waitFor('3 check records', () => checks(env.records()).length >= 3 && checks(env.records()), 6000);
    for (const gap of gapsMs(got.map((r) => r.ts))) {
      expect(gap).toBeGreaterThan(700);
      expect(gap).toBeLessThan(1500);
    }
    expect(await daemon.stop('SIGTERM')).toBe(0);
    const text = readFileSync(env.logFile, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    for (const line of text.trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    const lines = schedulerLines(schedLog());
    expect(lines[0]).toMatch(new RegExp(`^started pid ${daemon.pid}, anomaly-guard \\S+, config .*anomaly-guard\\.json, schedule every 1s, .*log .*anomaly_guard\\.ndjson, lock .*anomaly_guard\\.ndjson\\.lock$`));
    expect(lines.find((l) => l.startsWith('cycle 1 end'))).toMatch(/^cycle 1 end after \d+\.\d\d s: OK$/);
    expect(lines.at(-1)).toMatch(/^stopped on SIGTERM after \d+ cycles$/);
    expect(daemon.stderr()).toContain('started pid'); // lines are echoed for journald
  });

  it('detects a fault within a cycle and heals it: trigger, self_heal, verify recovered, healthy again', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ interval: '1s', heal: { command: healViaControl(), verify_after: '100ms' } });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    await waitFor('a first ok check', () => checks(env.records()).some((r) => r.lat.ok));
    const before = records().length;
    server.setMode({ kind: 'status', status: 'Degraded' });
    await waitFor('a healthy check after the heal', () => records().slice(before).some((r, i, all) => r.lat?.ok && all.slice(0, i).some((x) => x.event === 'self_heal')), 5000);
    const after = records().slice(before);
    // The first cycle after the fault detects it and heals; the next one is healthy.
    expect(after.slice(0, 6).map((r) => r.event ?? (r.lat.ok ? 'ok' : 'failed'))).toEqual(['failed', 'anomaly_trigger', 'heal_start', 'self_heal', 'heal_verify', 'ok']);
    expect(after[0]).toMatchObject({ lat: { ok: false, error: 'status=Degraded' }, reasons: ['health_unhealthy (status=Degraded)'] });
    expect(after.find((r) => r.event === 'self_heal')).toMatchObject({ exit_code: 0, timed_out: false });
    expect(after.find((r) => r.event === 'heal_verify')).toMatchObject({ recovered: true });
    expect(healRuns).toBe(1);
    expect(await daemon.stop()).toBe(0);
    expect(schedulerLines(schedLog())).toContainEqual(
      expect.stringMatching(/^cycle \d+ end after .* s: CRITICAL health_unhealthy \(status=Degraded\); heal exit 0; verify recovered/),
    );
    expect(daemon.stderr()).toBe(''); // --quiet: nothing went wrong, nothing echoed
  });

  it('holds a heal storm to the budget: exactly max_per_hour heals, then heal_suppressed rate_limit', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ interval: '1s', heal: { command: [process.execPath, '-e', '0'], max_per_hour: 2, verify_after: '0s' } });
    const daemon = startDaemon(env.configFile, ['--quiet']);
    const triggers = (): Rec[] => env.records().filter((r) => r.event === 'anomaly_trigger');
    await waitFor('4 triggers', () => triggers().length >= 4, 6000);
    expect(await daemon.stop()).toBe(0);
    const records = env.records();
    expect(records.filter((r) => r.event === 'self_heal')).toHaveLength(2);
    const suppressed = records.filter((r) => r.event === 'heal_suppressed');
    expect(suppressed.length).toBeGreaterThanOrEqual(2);
    for (const s of suppressed) expect(s.why).toBe('rate_limit');
    const lastHeal = records.findLastIndex((r) => r.event === 'self_heal');
    expect(records.findIndex((r) => r.event === 'heal_suppressed')).toBeGreaterThan(lastHeal);
  });
});
