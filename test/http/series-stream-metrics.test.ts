// /api/series (range, reading only as far back as needed, downsampling that keeps spikes), the event
// stream (events, the client bound) and /metrics after real cycles against a real health server.
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_POINTS, type SeriesBody } from '../../src/http/api-series.js';
import type { StatusBody } from '../../src/http/api-status.js';
import { sharedHealthServer } from '../helpers/health-server.js';
import { appFixture, check, iso, type AppFixture } from './app-fixture.js';

let fx: AppFixture;
const server = sharedHealthServer();
afterEach(() => {
  fx?.cleanup();
  server.setMode({ kind: 'healthy' });
});

describe('/api/status heal_budget', () => {
  const heal = (ms: number) => ({ event: 'self_heal', ts: iso(ms), command: ['true'], exit_code: 0, signal: null, timed_out: false, duration_ms: 5, stdout_tail: '', stderr_tail: '' });
  const exhausted = (ms: number, latched: boolean) => ({ event: 'heal_budget_exhausted', ts: iso(ms), heals_last_hour: 2, max_per_hour: 2, latched });
  it('null before the first cycle; after one, the latched budget the log holds', async () => {
    fx = appFixture({ healthUrl: server.url, raw: { heal: { command: ['true'], max_per_hour: 2, stop_when_exhausted: true, resume_after: '2h' } } });
    const now = Date.now();
    fx.seed([heal(now - 600_000), heal(now - 500_000), exhausted(now - 400_000, true), check(now - 300_000, 10)]);
    expect(((await (await fx.get('/api/status')).json()) as StatusBody).heal_budget).toBeNull();
    await fx.cycle();
    const body = (await (await fx.get('/api/status')).json()) as StatusBody;
    expect(body.heal_budget).toEqual({ exhausted_at: iso(now - 400_000), latched: true });
    expect(body.heals_last_hour).toBe(2);
  });
  it('a heal_resumed after the exhaustion (heal-reset) ends it; a budget never spent reads the same', async () => {
    fx = appFixture({ healthUrl: server.url, raw: { heal: { command: ['true'], max_per_hour: 2, stop_when_exhausted: true, resume_after: '2h' } } });
    const now = Date.now();
    fx.seed([heal(now - 600_000), heal(now - 500_000), exhausted(now - 400_000, true), { event: 'heal_resumed', ts: iso(now - 350_000), why: 'manual', detail: 'heal-reset' }, check(now - 300_000, 10)]);
    await fx.cycle();
    expect(((await (await fx.get('/api/status')).json()) as StatusBody).heal_budget).toEqual({ exhausted_at: null, latched: false });
  });
});

describe('/api/series', () => {
  it('1h by default: the checks of the last hour, oldest first, with triggers and sigma; older ones left out', async () => {
    const now = Date.now();
    fx = appFixture({ nowMs: () => now });
    const trigger = { event: 'anomaly_trigger', ts: iso(now - 120_000), reasons: ['latency_anomaly_3sigma (score=5.00)'], latency: 90, score: 5, cpu: 1, mem: 2, disk: 3 };
    fx.seed([check(now - 2 * 3_600_000, 99), check(now - 3_000_000, 10), check(now - 120_000, 90, true, { score: 5, mean: 10, stdev: 1 }), trigger, check(now - 60_000, 11)]);
    const body = (await (await fx.get('/api/series')).json()) as SeriesBody;
    expect(body).toMatchObject({ range: '1h', from: iso(now - 3_600_000), to: iso(now), sigma: 3, downsampled: false, triggers: [{ ts: trigger.ts, reasons: trigger.reasons }] });
    expect(body.points.map((p: { latency_ms: number }) => p.latency_ms)).toEqual([10, 90, 11]);
    expect(body.points[1]).toEqual({ ts: iso(now - 120_000), latency_ms: 90, ok: true, score: 5, mean: 10, stdev: 1, cpu: 10, mem: 30, disk: 50 });
  });

  it('recoveries: the recovered records and the heal verifications that recovered (not the failed ones), oldest first', async () => {
    const now = Date.now();
    fx = appFixture({ nowMs: () => now });
    const verified = { event: 'heal_verify', ts: iso(now - 100_000), recovered: true, latency_ms: 12 };
    const failedVerify = { event: 'heal_verify', ts: iso(now - 200_000), recovered: false, latency_ms: 900 };
    const recovered = { event: 'recovered', ts: iso(now - 90_000), cleared: ['health_unhealthy (HTTP 503)'], duration_ms: 60_000 };
    const before = { event: 'recovered', ts: iso(now - 2 * 3_600_000), cleared: [], duration_ms: 1 };
    fx.seed([before, check(now - 300_000, 10), failedVerify, verified, recovered, check(now - 60_000, 11)]);
    const body = (await (await fx.get('/api/series')).json()) as SeriesBody;
    expect(body.recoveries).toEqual([{ ts: verified.ts, event: 'heal_verify' }, { ts: recovered.ts, event: 'recovered' }]);
  });

  it.each([
    ['1d', 86_400_000],
    ['1w', 604_800_000],
  ])('range=%s reaches back %i ms', async (range, span) => {
    const now = Date.now();
    fx = appFixture({ nowMs: () => now });
    fx.seed([check(now - span - 1000, 1), check(now - span + 1000, 2), check(now - 1000, 3)]);
    const body = (await (await fx.get(`/api/series?range=${range}`)).json()) as SeriesBody;
    expect(body.points.map((p: { latency_ms: number }) => p.latency_ms)).toEqual([2, 3]);
  });

  it('range=5m → 400', async () => {
    fx = appFixture();
    const res = await fx.get('/api/series?range=5m');
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'range: "5m" is not accepted; use one of 1h, 1d, 1w' });
  });

  it('more checks than points: at most 2000, each bucket its slowest check, a failure marks its bucket not ok', async () => {
    const now = Date.now();
    fx = appFixture({ nowMs: () => now });
    const lines: object[] = [];
    const n = 6000; // one every 0.6 s over the hour: 3 per bucket
    for (let i = 0; i < n; i++) {
      const at = now - 3_600_000 + 300 + i * 600;
      lines.push(check(at, i === 3001 ? 500 : 10 + (i % 3), i !== 4500));
    }
    fx.seed(lines);
    const body = (await (await fx.get('/api/series')).json()) as SeriesBody;
    expect(body.downsampled).toBe(true);
    expect(body.points.length).toBeLessThanOrEqual(MAX_POINTS);
    expect(body.points.length).toBeGreaterThan(MAX_POINTS - 5);
    expect(Math.max(...body.points.map((p: { latency_ms: number }) => p.latency_ms))).toBe(500);
    expect(body.points.filter((p: { ok: boolean }) => !p.ok)).toHaveLength(1);
    // every bucket keeps its slowest: 12 (i % 3 === 2) everywhere but the spike
    expect(new Set(body.points.map((p: { latency_ms: number }) => p.latency_ms))).toEqual(new Set([12, 500]));
    const ts = body.points.map((p: { ts: string }) => Date.parse(p.ts));
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
  });
});

/** Reads the stream until `text` has arrived (at most 2 s). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, text: string): Promise<string> {
  let got = '';
  const deadline = Date.now() + 2000;
  while (!got.includes(text)) {
    if (Date.now() > deadline) throw new Error(`stream did not send ${JSON.stringify(text)}; got ${JSON.stringify(got)}`);
    const { value, done } = await reader.read();
    if (done) break;
    got += new TextDecoder().decode(value);
  }
  return got;
}

describe('/api/stream', () => {
  it('sends a cycle event to every client; past the bound a client gets 503; a client that leaves frees its place', async () => {
    fx = appFixture(); // maxClients 4
    const clients = await Promise.all([1, 2, 3, 4].map(() => fx.get('/api/stream')));
    for (const res of clients) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    }
    const readers = clients.map((res) => res.body!.getReader());
    for (const r of readers) expect(await readUntil(r, ': connected')).toContain('retry: 5000');
    const refused = await fx.get('/api/stream');
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({ error: 'too many stream clients; try again later' });
    fx.sse.publish('cycle', { ts: '2026-01-01T00:00:00.000000Z', cycle: 7, verdict: 'CRITICAL' });
    for (const r of readers) expect(await readUntil(r, '\n\n')).toBe('event: cycle\ndata: {"ts":"2026-01-01T00:00:00.000000Z","cycle":7,"verdict":"CRITICAL"}\n\n');
    await readers[0]!.cancel();
    expect(fx.sse.clients).toBe(3);
    expect((await fx.get('/api/stream', { method: 'HEAD' })).status).toBe(200);
    expect(fx.sse.clients).toBe(3);
    const again = await fx.get('/api/stream');
    expect(again.status).toBe(200);
    await again.body!.cancel();
  });

  it('close() ends every stream', async () => {
    fx = appFixture();
    const reader = (await fx.get('/api/stream')).body!.getReader();
    await readUntil(reader, ': connected');
    fx.sse.close();
    expect((await reader.read()).done).toBe(true);
    expect(fx.sse.clients).toBe(0);
  });
});

describe('/metrics after real cycles', () => {
  const value = (text: string, series: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    if (line === undefined) throw new Error(`no ${series} in\n${text}`);
    return Number(line.slice(series.length + 1));
  };

  it('a healthy cycle, then an unhealthy one with a heal that fails: gauges, counters, histograms', async () => {
    fx = appFixture({ healthUrl: server.url, raw: { heal: { command: ['false'] } } });
    await fx.cycle();
    let text = await (await fx.get('/metrics')).text();
    expect(value(text, 'anomaly_guard_probe_success')).toBe(1);
    expect(value(text, 'anomaly_guard_build_info{version="0.1.0-test"}')).toBe(1);
    expect(value(text, 'anomaly_guard_cpu_ratio')).toBe(0);
    expect(value(text, 'anomaly_guard_memory_ratio')).toBeCloseTo(0.3, 3);
    expect(value(text, 'anomaly_guard_disk_ratio')).toBeGreaterThanOrEqual(0);
    expect(value(text, 'anomaly_guard_disk_ratio')).toBeLessThanOrEqual(1);
    expect(value(text, 'anomaly_guard_latency_zscore')).toBeNaN(); // no baseline yet
    expect(value(text, 'anomaly_guard_probe_duration_seconds_count')).toBe(1);
    expect(value(text, 'anomaly_guard_cycles_total{verdict="ok"}')).toBe(1);
    expect(value(text, 'anomaly_guard_last_successful_cycle_timestamp_seconds')).toBeCloseTo(Date.now() / 1000, -1);
    server.setMode({ kind: 'status', status: 'Degraded' });
    await fx.cycle();
    text = await (await fx.get('/metrics')).text();
    expect(value(text, 'anomaly_guard_probe_success')).toBe(0);
    expect(value(text, 'anomaly_guard_triggers_total{reason="health_unhealthy"}')).toBe(1);
    expect(value(text, 'anomaly_guard_triggers_total{reason="cpu_critical"}')).toBe(0);
    expect(value(text, 'anomaly_guard_heals_total{outcome="failed"}')).toBe(1);
    expect(value(text, 'anomaly_guard_heals_total{outcome="ok"}')).toBe(0);
    expect(value(text, 'anomaly_guard_cycles_total{verdict="critical"}')).toBe(1);
    expect(value(text, 'anomaly_guard_cycle_duration_seconds_count')).toBe(2);
    expect(value(text, 'anomaly_guard_cycle_timeouts_total')).toBe(0);
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect((await fx.get('/metrics')).headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('the live state follows the cycles: /api/status verdict, cycles, last heal; /healthz ok', async () => {
    fx = appFixture({ healthUrl: server.url, raw: { heal: { command: ['true'] } } });
    server.setMode({ kind: 'http', code: 503 });
    await fx.cycle();
    const body = (await (await fx.get('/api/status')).json()) as StatusBody;
    expect(body.verdict).toBe('CRITICAL');
    expect(body.daemon.cycles).toBe(1);
    expect(body.last.trigger?.reasons).toEqual(['health_unhealthy (HTTP 503)']);
    expect(body.last.heal).toMatchObject({ event: 'self_heal', exit_code: 0 });
    expect(body.latest_check?.lat).toMatchObject({ ok: false, http_status: 503 });
    expect((await fx.get('/healthz', { token: null })).status).toBe(200);
  });
});
