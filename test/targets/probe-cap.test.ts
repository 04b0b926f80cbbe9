// max_concurrent_probes (issue 12): a daemon-wide cap on probes in flight. A probe waits for a slot before its
// clock starts: with the cap held by a hanging target, another target's probe waits, says so (lat.queued_ms),
// and is still ok within its own short timeout (the wait is not part of its request); below the cap, no probe waits.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, startDaemon, waitFor } from '../daemon/daemon-process.js';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';

let env: GuardEnv | null = null;
let servers: HealthServer[] = [];
afterEach(async () => {
  killAll();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  env?.cleanup();
  env = null;
});

type Check = { lat: { ok: boolean; latency_ms: number; queued_ms?: number } };
const checks = (file: string): Check[] =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.event === undefined) : [];

// Runs a fast target (1 s timeout) beside one that hangs until its 3 s timeout, under the cap; the fast one's checks.
async function fastBesideHang(cap: number): Promise<Check[]> {
  servers = await Promise.all([startHealthServer(), startHealthServer()]);
  const [fast, slow] = servers as [HealthServer, HealthServer];
  slow.setMode({ kind: 'hang' });
  const e = guardEnv(fast.url);
  env = e;
  e.writeConfig({
    interval: '1s',
    max_concurrent_probes: cap,
    targets: [
      { name: 'fast', health: { url: fast.url, timeout: '1s' } },
      { name: 'slow', health: { url: slow.url, timeout: '3s', confirm: 0 } },
    ],
  });
  const logOf = (name: string): string => join(e.dir, 'logs', `anomaly_guard.${name}.ndjson`);
  const daemon = startDaemon(e.configFile, ['--quiet']);
  await waitFor('two checks of the hanging target', () => checks(logOf('slow')).length >= 2, 60_000);
  expect(await daemon.stop()).toBe(0);
  return checks(logOf('fast'));
}

describe('run: max_concurrent_probes', () => {
  it('a cap of 1 held by a hanging target: the other target waits for the slot (queued_ms), its probes still ok', async () => {
    const fast = await fastBesideHang(1);
    expect(fast.length).toBeGreaterThanOrEqual(1);
    expect(fast.every((c) => c.lat.ok)).toBe(true);
    expect(fast.some((c) => (c.lat.queued_ms ?? 0) > 0)).toBe(true);
  });

  it('a cap above the targets: no probe waits, no queued_ms', async () => {
    const fast = await fastBesideHang(2);
    expect(fast.length).toBeGreaterThanOrEqual(2);
    expect(fast.every((c) => c.lat.ok && c.lat.queued_ms === undefined)).toBe(true);
  });
});
