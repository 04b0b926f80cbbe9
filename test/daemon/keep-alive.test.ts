// health.keep_alive (issue 12): off, the daemon opens a new connection per probe, as `check` does; on, one shared
// pool of keep-alive connections serves every cycle, and a pooled connection the server dropped is replaced by a
// new one (once), so the probe stays ok. Connections are counted by the server's own 'connection' event.
import { afterEach, describe, expect, it } from 'vitest';
import { countingServer, type CountingServer, type Drop } from '../helpers/counting-server.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { killAll, startDaemon, waitFor } from './daemon-process.js';

type Lat = { ok: boolean; reused?: boolean; retried?: boolean };

const CYCLES = 4;
let env: GuardEnv | undefined;
let server: CountingServer | undefined;
afterEach(async () => {
  killAll();
  env?.cleanup();
  await server?.close();
});

// Runs the daemon at a 1 s interval until CYCLES check records are logged; returns them and the records of the run.
async function runCycles(drop: Drop, health: Record<string, unknown>): Promise<{ lats: Lat[]; records: Record<string, unknown>[]; connections: number }> {
  server = await countingServer(drop);
  env = guardEnv(server.url);
  env.writeConfig({ interval: '1s', health });
  const daemon = startDaemon(env.configFile, ['--quiet']);
  const e = env;
  await waitFor(`${CYCLES} check records`, () => e.records().filter((r) => r.event === undefined).length >= CYCLES, 30_000);
  expect(await daemon.stop()).toBe(0);
  const records = env.records();
  const lats = records.filter((r) => r.event === undefined).map((r) => r.lat as Lat);
  return { lats, records, connections: server.connections() };
}

describe('run with health.keep_alive', () => {
  it('false (the default): a new connection per probe, no reused field', async () => {
    const { lats, connections } = await runCycles('never', {});
    expect(lats.every((l) => l.ok)).toBe(true);
    expect(lats.every((l) => !('reused' in l) && !('retried' in l))).toBe(true);
    expect(connections).toBe(lats.length);
  });

  it('true: one connection for every cycle, reused after the first', async () => {
    const { lats, connections } = await runCycles('never', { keep_alive: true });
    expect(connections).toBe(1);
    expect(lats.map((l) => l.reused)).toEqual([false, ...lats.slice(1).map(() => true)]);
    expect(lats.every((l) => l.ok && !('retried' in l))).toBe(true);
  });

  it('true, a server that cuts off every second request on a connection: each is sent again on a new one, every probe ok', async () => {
    const { lats, records } = await runCycles('on-second-request', { keep_alive: true });
    expect(lats.every((l) => l.ok)).toBe(true);
    expect(lats[0]).toMatchObject({ reused: false });
    expect(lats[0]).not.toHaveProperty('retried');
    for (const l of lats.slice(1)) expect(l).toMatchObject({ ok: true, reused: false, retried: true });
    expect(records.filter((r) => r.event !== undefined)).toEqual([]);
  });

  it('true, a server that closes each connection after its answer: every probe ok, no heal', async () => {
    const { lats, records } = await runCycles('after-answer', { keep_alive: true });
    expect(lats.every((l) => l.ok && typeof l.reused === 'boolean')).toBe(true);
    expect(lats.filter((l) => l.retried !== undefined).every((l) => l.retried === true)).toBe(true);
    expect(records.filter((r) => r.event !== undefined)).toEqual([]);
  });
});
