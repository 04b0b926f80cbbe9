// The heal budget is decided under the heal lock, from the log as it is then: two guards due at once heal
// once. And times stamped ahead in the log (a clock that was ahead, then corrected) delay nothing by more
// than the span they are configured for.
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, runCli, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const node = process.execPath;
const stamp = (msFromNow: number) => new Date(Date.now() + msFromNow).toISOString().replace('Z', '000Z');
const selfHeal = (msFromNow: number) => ({ event: 'self_heal', ts: stamp(msFromNow), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1, stdout_tail: '', stderr_tail: '' });

describe('the heal budget under the heal lock', () => {
  // Guard A gives up on the hung service fast and heals at once; guard B, on the same log, read the log when it
  // started (before A's heal) and reaches the heal after A is done: deciding from that first read healed twice.
  it('a hung service, max_per_hour 1: a fast and a slow check on the same log heal once (3 rounds)', async () => {
    server.setMode({ kind: 'hang' });
    for (let round = 0; round < 3; round++) {
      env?.cleanup();
      env = guardEnv(server.url);
      const healed = join(env.dir, 'heals.ndjson');
      const heal = { command: [node, '-e', `require('fs').appendFileSync(${JSON.stringify(healed)}, 'x\\n')`], max_per_hour: 1 };
      env.writeConfig({ health: { timeout: '3s' }, heal });
      const fast = join(env.dir, 'fast.json');
      writeFileSync(fast, JSON.stringify({ ...JSON.parse(readFileSync(env.configFile, 'utf8')), health: { url: server.url, timeout: '100ms' } }));
      const runs = await Promise.all([runCli(['check', '-c', fast]), env.run(['check'])]);
      expect(runs.map((r) => r.code)).toEqual([2, 2]);
      expect(readFileSync(healed, 'utf8')).toBe('x\n');
      const outcomes = env.records().filter((r) => r.event === 'self_heal' || r.event === 'heal_suppressed').map((r) => (r.event === 'self_heal' ? 'ran' : r.why));
      expect(outcomes.filter((o) => o === 'ran')).toHaveLength(1);
      expect(outcomes).toHaveLength(2);
    }
  });
});

describe('times stamped ahead in the log', () => {
  it('a heal stamped a day ahead blocks for at most the cooldown from the record after it, not until the clock catches up', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], cooldown: '1h' } });
    env.seedLog([...seedChecks([10], { endMs: Date.now() - 600_000 }), selfHeal(86_400_000), ...seedChecks([10], { endMs: Date.now() - 300_000 })]);
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    const last = env.records().at(-1)!;
    expect(last).toMatchObject({ event: 'heal_suppressed', why: 'cooldown' });
    const left = Number(/cooldown ends in (\d+)s/.exec(String(last.detail))?.[1]);
    expect(left).toBeLessThanOrEqual(3600 - 300);
    expect(left).toBeGreaterThan(0);
  });

  it('six heals stamped ahead, followed by two hours of checks, do not trip the rate limit', async () => {
    env = guardEnv(server.url);
    server.setMode({ kind: 'status', status: 'Degraded' });
    env.writeConfig({ heal: { command: [node, '-e', '0'], max_per_hour: 6 } });
    const ahead = Array.from({ length: 6 }, () => selfHeal(86_400_000));
    env.seedLog([...ahead, ...seedChecks(Array.from({ length: 25 }, () => 10), { endMs: Date.now() - 60_000 })]);
    await env.run(['check']);
    expect(env.records().at(-1)).toMatchObject({ event: 'self_heal', exit_code: 0 });
  });
});
