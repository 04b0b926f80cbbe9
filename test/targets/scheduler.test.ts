// The daemon's loops at work (issue 12): a target whose service hangs until its probe's timeout never delays
// another target (each keeps its cadence, read from the logged check records' ts), the hanging one's ticks are
// skipped and counted, and /metrics has the scheduler's lag histogram and skip counter per target, accepted by
// `promtool check metrics`. Real daemon, real loopback servers.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { binary, freePort } from '../http/external.js';

const PROMTOOL = binary('/usr/bin/promtool');
let env: GuardEnv | null = null;
let servers: HealthServer[] = [];
afterEach(async () => {
  killAll();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  env?.cleanup();
  env = null;
});

const checks = (file: string): Record<string, any>[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.event === undefined) : [];

describe('run: one hanging target among others', () => {
  it('never delays the other target; its skipped ticks are counted; /metrics has the lag and the skips per target', async () => {
    servers = await Promise.all([startHealthServer(), startHealthServer()]);
    const [fast, slow] = servers as [HealthServer, HealthServer];
    slow.setMode({ kind: 'hang' });
    const e = guardEnv(fast.url);
    env = e;
    const port = await freePort();
    e.writeConfig({
      interval: '1s',
      http: { listen: `127.0.0.1:${port}` },
      targets: [
        { name: 'fast', health: { url: fast.url } },
        { name: 'slow', health: { url: slow.url, timeout: '6s', confirm: 0 } },
      ],
    });
    const logOf = (name: string): string => join(e.dir, 'logs', `anomaly_guard.${name}.ndjson`);
    const daemon = startDaemon(e.configFile, ['--quiet']);
    // Two whole hanging cycles: the fast target ran all along.
    await waitFor('two checks of the hanging target', () => checks(logOf('slow')).length >= 2, 60_000);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(await daemon.stop()).toBe(0);

    const slowChecks = checks(logOf('slow'));
    expect(slowChecks[0]).toMatchObject({ lat: { ok: false, error: 'timeout after 6000 ms' } });
    // If the hang held the fast target up, one of its gaps would span a whole hanging probe: measured here.
    const hangMs = Math.min(...slowChecks.map((r) => r.lat.latency_ms as number));
    const fastTs = checks(logOf('fast')).map((r) => Date.parse(r.ts));
    const during = fastTs.filter((t) => t >= Date.parse(slowChecks[0]!.ts) - hangMs && t <= Date.parse(slowChecks[0]!.ts));
    expect(during.length, 'fast checks during the first hanging probe').toBeGreaterThanOrEqual(2);
    const gaps = fastTs.slice(1).map((t, i) => t - (fastTs[i] as number));
    expect(Math.max(...gaps), `fast gaps ${gaps.join(', ')} ms against a hang of ${hangMs} ms`).toBeLessThan(hangMs);

    // scheduler.log says which ticks of the hanging target were skipped; the fast one skipped none.
    const sched = readFileSync(join(e.dir, 'logs', 'scheduler.log'), 'utf8');
    expect(sched).toMatch(/\[slow\] tick \d+ skipped: cycle 1 still running/);
    expect(sched).not.toMatch(/\[fast\] tick \d+ skipped/);

    const sample = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
    expect(sample('anomaly_guard_scheduler_lag_seconds_count\\{target="fast"\\}')).toBeGreaterThanOrEqual(2);
    expect(sample('anomaly_guard_scheduler_skipped_cycles_total\\{target="fast"\\}')).toBe(0);
    expect(sample('anomaly_guard_scheduler_skipped_cycles_total\\{target="slow"\\}')).toBeGreaterThanOrEqual(1);
    if (PROMTOOL) {
      const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: metrics, encoding: 'utf8', timeout: 10_000 });
      expect(`${run.stdout}${run.stderr}`).toBe('');
      expect(run.status).toBe(0);
    }
  });
});
