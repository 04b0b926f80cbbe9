// The daemon measures the way `check` does (issue 11): every cycle's check record carries the request's
// phases, ordered, with a first byte the server delays counted (as the server measured the delay).
import { afterEach, expect, it } from 'vitest';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { killAll, startDaemon, waitFor } from './daemon-process.js';

type Lat = { latency_ms: number; dns_ms?: number; connect_ms?: number; first_byte_ms?: number };

const server = sharedHealthServer();
let env: GuardEnv;
afterEach(() => {
  killAll();
  env?.cleanup();
});

it('run: each cycle logs dns_ms ≤ connect_ms ≤ first_byte_ms ≤ latency_ms, first_byte_ms ≥ the delay the server measured', async () => {
  server.setMode({ kind: 'healthy', delayMs: 100 });
  env = guardEnv(server.url);
  env.writeConfig({ interval: '1s' });
  const daemon = startDaemon(env.configFile, ['--quiet']);
  const lats = await waitFor('two check records', () => {
    const found = env.records().filter((r) => r.event === undefined).map((r) => r.lat as Lat);
    return found.length >= 2 ? found.slice(0, 2) : undefined;
  }, 15_000);
  expect(await daemon.stop()).toBe(0);
  const delays = server.received.filter((r) => r.path === '/health').map((r) => (r.answeredMs ?? Number.NaN) - r.arrivedMs);
  lats.forEach((lat, i) => {
    for (const v of [lat.dns_ms, lat.connect_ms, lat.first_byte_ms]) expect(v).toBeTypeOf('number');
    expect(lat.connect_ms).toBeGreaterThanOrEqual(lat.dns_ms as number);
    expect(lat.first_byte_ms).toBeGreaterThanOrEqual(lat.connect_ms as number);
    expect(lat.latency_ms).toBeGreaterThanOrEqual(lat.first_byte_ms as number);
    expect(lat.first_byte_ms).toBeGreaterThanOrEqual((delays[i] as number) - 0.0005);
  });
});
