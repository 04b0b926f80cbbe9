// profile: safe through the real `check` against a real server: one bad sample never restarts a healthy
// service, a real fault is confirmed and healed in the cycle that sees it, CPU is judged over the interval,
// and a heal is verified for what it was for. The latency baseline is what this machine's own checks measured.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { guardEnv, PROC_IDLE, SCRIPTS, seedChecks, type GuardEnv } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';

// Slow answers are the point here: a cycle may take several of them.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let server: HealthServer;
let env: GuardEnv;
/** The latency this machine's checks measure on the healthy server (the largest of a few). */
let typicalMs = 0;

beforeAll(async () => {
  server = await startHealthServer();
  const probe = guardEnv(server.url);
  try {
    for (let i = 0; i < 3; i++) await probe.run(['check']);
    typicalMs = Math.max(...probe.records().map((r) => (r.lat as { latency_ms: number }).latency_ms));
  } finally {
    probe.cleanup();
  }
});
afterAll(() => server.close());
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  env?.cleanup();
});

const node = process.execPath;
const events = (e: GuardEnv) => e.records().map((r) => (r.event as string | undefined) ?? 'check');
const lastCheck = (e: GuardEnv) => e.records().filter((r) => r.event === undefined).at(-1) as Record<string, any>;

/** A guard under profile safe with a baseline of 20 checks around the measured latency, and a heal that records itself. */
function safeGuard(more: Record<string, unknown> = {}, healUrl = '-'): { env: GuardEnv; heals: () => string[]; slowMs: number } {
  const e = guardEnv(server.url);
  const healed = join(e.dir, 'heals.ndjson');
  const floor = Math.max(2 * typicalMs, 20);
  e.writeConfig({
    profile: 'safe',
    health: { timeout: '10s', confirm_spacing: '50ms' },
    latency: { min_stdev_ms: floor },
    heal: { command: [node, join(SCRIPTS, 'restart-via-url.mjs'), healUrl, healed], verify_after: '100ms', grace: '0s' },
    ...more,
  });
  e.seedLog(seedChecks(Array.from({ length: 20 }, (_, i) => typicalMs * (0.9 + (i % 5) * 0.05))));
  env = e;
  // Twice the threshold (mean + 3 × floor): a score above 6, well inside health.timeout.
  const slowMs = Math.min(8000, Math.max(500, 2 * (typicalMs + 3 * floor)));
  return { env: e, heals: () => (existsSync(healed) ? readFileSync(healed, 'utf8').split('\n').filter(Boolean) : []), slowMs };
}

describe('profile safe: one bad sample never restarts a healthy service', () => {
  it('one slow answer is a blip: the re-probe is normal, nothing is healed, exit 0, and it stays out of the baseline', async () => {
    const g = safeGuard();
    server.setMode({ kind: 'then', first: { kind: 'healthy', delayMs: g.slowMs }, count: 1, after: { kind: 'healthy' } });
    const run = await g.env.run(['check']);
    expect(run.code).toBe(0);
    expect(g.heals()).toEqual([]);
    expect(events(g.env).slice(-1)).toEqual(['check']);
    const check = lastCheck(g.env);
    expect(check.lat.latency_ms).toBeGreaterThanOrEqual(g.slowMs);
    expect(check.dismissed).toEqual([expect.stringMatching(/^latency_anomaly_3sigma \(score=\d+\.\d\d\)$/)]);
    expect(check.lat.reprobes).toEqual([{ latency_ms: expect.any(Number), ok: true }]);
    expect(check.reasons).toBeUndefined();
    expect(check.in_baseline).toBe(false);
    expect(run.stdout).toContain('a blip: re-probed');
  });

  it('one failed answer (a 503) is re-probed and passes: no finding, no heal, exit 0', async () => {
    const g = safeGuard();
    server.setMode({ kind: 'then', first: { kind: 'http', code: 503 }, count: 1, after: { kind: 'healthy' } });
    const run = await g.env.run(['check']);
    expect(run.code).toBe(0);
    expect(g.heals()).toEqual([]);
    expect(lastCheck(g.env).lat).toMatchObject({ ok: true, attempts: 2 });
  });

  it('profile seed on the same blip heals at once (the seed\'s literal rule, kept for comparison)', async () => {
    const g = safeGuard({ profile: 'seed' });
    server.setMode({ kind: 'then', first: { kind: 'healthy', delayMs: g.slowMs }, count: 1, after: { kind: 'healthy' } });
    const run = await g.env.run(['check']);
    expect(run.code).toBe(2);
    expect(g.heals()).toHaveLength(1);
    expect(lastCheck(g.env).lat.reprobes).toBeUndefined();
  });
});

describe('profile safe: a real fault is confirmed and healed in the cycle that sees it', () => {
  it('a lasting slowdown: every re-probe is slow, the trigger fires, the heal runs, and the verification sees it fixed', async () => {
    const g = safeGuard({}, server.url.replace('/health', '/control/healthy'));
    server.setMode({ kind: 'healthy', delayMs: g.slowMs });
    const run = await g.env.run(['check']);
    expect(run.code).toBe(2);
    expect(events(g.env).slice(-5)).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal', 'heal_verify']);
    const check = lastCheck(g.env);
    expect(check.lat.reprobes).toHaveLength(2);
    expect(check.lat.reprobes.every((p: { latency_ms: number }) => p.latency_ms >= g.slowMs)).toBe(true);
    expect(check.in_baseline).toBe(false);
    expect(g.heals()).toHaveLength(1);
    expect(g.env.records().at(-1)).toMatchObject({ event: 'heal_verify', recovered: true, score: expect.any(Number) });
  });

  it('a Degraded service is re-probed, confirmed and healed in the same cycle', async () => {
    const g = safeGuard({}, server.url.replace('/health', '/control/healthy'));
    server.setMode({ kind: 'status', status: 'Degraded' });
    const run = await g.env.run(['check']);
    expect(run.code).toBe(2);
    expect(lastCheck(g.env).lat).toMatchObject({ ok: false, attempts: 3, error: 'status=Degraded' });
    expect(g.heals()).toHaveLength(1);
    expect(g.env.records().at(-1)).toMatchObject({ event: 'heal_verify', recovered: true });
  });
});

describe('profile safe: a heal that does not help', () => {
  it('a slowdown a restart does not fix: not recovered (still slow), one open incident, backoff instead of a heal every cycle', async () => {
    const g = safeGuard();
    server.setMode({ kind: 'healthy', delayMs: g.slowMs });
    await g.env.run(['check']);
    const verify = g.env.records().at(-1)!;
    expect(verify).toMatchObject({ event: 'heal_verify', recovered: false, remaining: [expect.stringMatching(/^latency_anomaly_3sigma/)] });
    // Heals of one incident wait 1, 2, 4 … cycles: the 2nd may follow at once, the 3rd waits.
    await g.env.run(['check']);
    const third = await g.env.run(['check']);
    expect(third.code).toBe(2);
    expect(g.env.records().at(-1)).toMatchObject({ event: 'heal_suppressed', why: 'backoff' });
    expect(g.heals()).toHaveLength(2);
    expect(events(g.env)).not.toContain('recovered');
    // The stalled latencies never became the baseline: the next check still scores against the old one.
    expect(lastCheck(g.env)).toMatchObject({ in_baseline: false, reasons: [expect.stringMatching(/^latency_anomaly_3sigma/)] });
  });
});

describe('profile safe: CPU over the interval since the previous check', () => {
  // The idle fixture's /proc/stat: busy 29828 of 1855484 jiffies; a reading 5 minutes earlier 950 busy of 1000 jiffies
  // before it makes the 5 minutes 95.0 % busy.
  const previous = (reasons?: string[]) => ({
    ts: new Date(Date.now() - 300_000).toISOString().replace('Z', '000Z'),
    lat: { latency_ms: 5, ok: true },
    res: { cpu: 95, mem: 30, disk: 50, cpu_ticks: { busy: 28878, total: 1854484, btime: 1761035700 } },
    score: null,
    mean: null,
    stdev: null,
    ...(reasons ? { reasons } : {}),
  });

  it('takes the busy share since the previous check\'s reading (no cpu_sample wait), and host-wide CPU only alerts', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ profile: 'safe', resources: { procfs: PROC_IDLE, cpu_sample: '5s' }, heal: { command: [node, '-e', '0'] } });
    env.seedLog([previous(['cpu_critical (95.0%)'])]);
    const run = await env.run(['check']);
    expect(run.code).toBe(1);
    const check = lastCheck(env);
    expect(check.res).toMatchObject({ cpu: 95, cpu_ticks: { busy: 29828, total: 1855484, btime: 1761035700 } });
    expect(check.res.cpu_span_ms).toBeGreaterThanOrEqual(300_000);
    expect(events(env).slice(-2)).toEqual(['check', 'resource_warning']);
    expect(env.records().at(-1)).toMatchObject({ reasons: ['cpu_critical (95.0%)'] });
  });

  it('a first host-wide CPU finding is only noted until it is seen in 2 of the last 3 cycles: no warning yet, exit 0', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ profile: 'safe', resources: { procfs: PROC_IDLE } });
    env.seedLog([previous()]);
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    expect(events(env)).toEqual(['check', 'check']);
    expect(lastCheck(env).reasons).toEqual(['cpu_critical (95.0%)']);
  });

  it('falls back to a sample over cpu_sample when there is no recent previous reading', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ profile: 'safe', resources: { procfs: PROC_IDLE, cpu_sample: '50ms' } });
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    expect(lastCheck(env).res).toMatchObject({ cpu: 0, cpu_span_ms: 50 });
  });
});

describe('profile safe: the service\'s own CPU and memory (resources.service)', () => {
  // test/fixtures/proc/service: web.pid names a process tree that used 48.5 s of CPU (4 CPUs) and holds 10.7 % of memory.
  const PROC_SERVICE = join(PROC_IDLE, '..', 'service');
  const previous = (usageUs: number, msAgo: number, reasons?: string[]) => ({
    ts: new Date(Date.now() - msAgo).toISOString().replace('Z', '000Z'),
    lat: { latency_ms: 5, ok: true },
    res: { cpu: 1, mem: 30, disk: 50, service: { name: 'web.pid', cpu: 80, mem: 10.7, usage_us: usageUs, cpus: 4, source: 'pid 4242' } },
    score: null,
    mean: null,
    stdev: null,
    ...(reasons ? { reasons } : {}),
  });

  it('its own CPU over the interval decides cpu_critical, named in the reason, and heals (the default with a service)', async () => {
    env = guardEnv(server.url);
    const healed = join(env.dir, 'heals.ndjson');
    env.writeConfig({
      profile: 'safe',
      resources: { procfs: PROC_SERVICE, cpu_critical: 50, service: { pid_file: join(PROC_SERVICE, 'web.pid') } },
      heal: { command: [node, join(SCRIPTS, 'restart-via-url.mjs'), '-', healed], verify_after: '0s' },
    });
    // 38 s of CPU in the last ~10 s on 4 CPUs: well above 50 % however long this machine takes to start the check.
    env.seedLog([previous(10_500_000, 10_000, ['cpu_critical (95.0%, web.pid)'])]);
    const run = await env.run(['check']);
    expect(run.code).toBe(2);
    const check = lastCheck(env);
    expect(check.res.service).toMatchObject({ name: 'web.pid', mem: 10.7, usage_us: 48_500_000, cpus: 4, source: 'pid 4242' });
    expect(check.res.service.cpu).toBeGreaterThan(50);
    const trigger = env.records().find((r) => r.event === 'anomaly_trigger')!;
    expect(trigger.reasons).toEqual([expect.stringMatching(/^cpu_critical \(\d+\.\d%, web\.pid\)$/)]);
    expect(readFileSync(healed, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('the host\'s CPU does not count when the service\'s own is low', async () => {
    env = guardEnv(server.url);
    env.writeConfig({ profile: 'safe', resources: { procfs: PROC_SERVICE, service: { pid_file: join(PROC_SERVICE, 'web.pid') } }, heal: { command: [node, '-e', '0'] } });
    // The service used 0.1 s of CPU in 5 minutes; the previous host reading makes the host 95 % busy.
    const busyHost = { ...previous(48_400_000, 300_000), res: { ...previous(48_400_000, 300_000).res, cpu_ticks: { busy: 28878, total: 1854484, btime: 1761035700 } } };
    env.seedLog([busyHost]);
    const run = await env.run(['check']);
    expect(run.code).toBe(0);
    const check = lastCheck(env);
    expect(check.res.cpu).toBe(95);
    expect(check.res.service.cpu).toBeLessThan(1);
    expect(check.reasons).toBeUndefined();
  });
});

describe('profile safe: a slow host is not a slow service', () => {
  // The idle fixture's /proc/stat against a reading 5 minutes earlier: the host was 95.0 % busy meanwhile.
  const busyBefore = (reasons: string[]) => ({
    ts: new Date(Date.now() - 300_000).toISOString().replace('Z', '000Z'),
    lat: { latency_ms: typicalMs, ok: true },
    res: { cpu: 95, mem: 30, disk: 50, cpu_ticks: { busy: 28878, total: 1854484, btime: 1761035700 } },
    score: null,
    mean: null,
    stdev: null,
    reasons,
  });

  it('a confirmed slowdown while the host\'s CPU is critical only alerts (latency.on_busy_host), and heals nothing', async () => {
    const g = safeGuard({ resources: { procfs: PROC_IDLE } });
    const seeded = g.env.records();
    g.env.seedLog([...seeded, busyBefore(['cpu_critical (95.0%)'])]);
    server.setMode({ kind: 'healthy', delayMs: g.slowMs });
    const run = await g.env.run(['check']);
    expect(run.code).toBe(1);
    expect(g.heals()).toEqual([]);
    const warning = g.env.records().find((r) => r.event === 'resource_warning')!;
    expect(warning.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^latency_anomaly_3sigma/), 'cpu_critical (95.0%)']));
    expect(events(g.env)).not.toContain('anomaly_trigger');
  });

  it('profile seed on the same heals (its literal rule)', async () => {
    const g = safeGuard({ profile: 'seed', resources: { procfs: PROC_IDLE, cpu_over: 'interval' } });
    g.env.seedLog([...g.env.records(), busyBefore(['cpu_critical (95.0%)'])]);
    server.setMode({ kind: 'healthy', delayMs: g.slowMs });
    const run = await g.env.run(['check']);
    expect(run.code).toBe(2);
    expect(g.heals()).toHaveLength(1);
  });

  it('after an incident, a normal latency is learnt again though a host warning lasts (the baseline does not freeze)', async () => {
    const g = safeGuard({ resources: { procfs: PROC_IDLE } });
    const ago = (ms: number) => new Date(Date.now() - ms).toISOString().replace('Z', '000Z');
    // A hang was healed 10 minutes ago; the host's CPU has been critical (an alert) ever since, so no check was clean.
    g.env.seedLog([
      ...g.env.records(),
      { event: 'anomaly_trigger', ts: ago(600_000), reasons: ['health_unhealthy (timeout after 10000 ms)'], latency: 10_000, score: null, cpu: 95, mem: 30, disk: 50 },
      { event: 'resource_warning', ts: ago(590_000), reasons: ['cpu_critical (95.0%)'], cpu: 95, mem: 30, disk: 50 },
      busyBefore(['cpu_critical (95.0%)']),
    ]);
    const run = await g.env.run(['check']);
    expect(run.code).toBe(1);
    const check = lastCheck(g.env);
    expect(check.reasons).toEqual(['cpu_critical (95.0%)']);
    expect(check.in_baseline).toBeUndefined();
  });
});
