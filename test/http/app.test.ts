// The HTTP app without a port: every route, the token, methods and bodies refused, traversal attempts,
// the security headers, and /healthz judging the guard's own cycles.
import { afterEach, describe, expect, it } from 'vitest';
import { CSP } from '../../src/http/app.js';
import type { StatusBody } from '../../src/http/api-status.js';
import type { readEvents } from '../../src/http/api-events.js';

type EventsBody = ReturnType<typeof readEvents>;
import { appFixture, ASSETS, check, iso, TOKEN, type AppFixture } from './app-fixture.js';

let fx: AppFixture;
afterEach(() => fx?.cleanup());

const DATA_ROUTES = ['/api/status', '/api/events', '/api/series', '/metrics'];

describe('auth: http.token', () => {
  it.each([
    ['no Authorization header', null, 401],
    ['a wrong bearer token', 'wrong-token', 401],
    ['the token with a different case', TOKEN.toUpperCase(), 401],
    ['a prefix of the token', TOKEN.slice(0, -1), 401],
    ['the right token', TOKEN, 200],
  ] as const)('%s → %i on every data route', async (_name, token, status) => {
    fx = appFixture();
    for (const route of DATA_ROUTES) {
      const res = await fx.get(route, { token });
      expect(res.status, route).toBe(status);
      if (status === 401) {
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="anomaly-guard"');
        expect(await res.text()).not.toContain(TOKEN);
      }
    }
  });

  it('accepts HTTP Basic with the token as the password (curl -u, Prometheus basic_auth)', async () => {
    fx = appFixture();
    const basic = (user: string, pass: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
    expect((await fx.get('/api/status', { token: null, headers: basic('prometheus', TOKEN) })).status).toBe(200);
    expect((await fx.get('/api/status', { token: null, headers: basic(TOKEN, 'x') })).status).toBe(401);
  });

  it('/healthz and the dashboard files (no data) are open; without http.token everything is', async () => {
    fx = appFixture();
    for (const route of ['/healthz', '/', '/assets/app.js']) expect((await fx.get(route, { token: null })).status, route).toBe(200);
    fx.cleanup();
    fx = appFixture({ raw: { http: { token: '' } } });
    for (const route of DATA_ROUTES) expect((await fx.get(route, { token: null })).status, route).toBe(200);
  });
});

describe('requests refused', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s → 405 with Allow: GET, HEAD, on known and unknown routes', async (method) => {
    fx = appFixture();
    for (const route of ['/api/status', '/metrics', '/healthz', '/nope']) {
      const res = await fx.get(route, { method, ...(method === 'OPTIONS' ? {} : { body: '{}' }) });
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('GET, HEAD');
    }
  });

  it('a GET that announces a body → 413, unread', async () => {
    fx = appFixture();
    expect((await fx.get('/api/status', { headers: { 'content-length': '12' } })).status).toBe(413);
    expect((await fx.get('/api/status', { headers: { 'transfer-encoding': 'chunked' } })).status).toBe(413);
  });

  it.each([
    '/assets/../../etc/passwd',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/assets/..%2f..%2fetc%2fpasswd',
    '/assets/%252e%252e/%252e%252e/etc/passwd',
    '/assets/..\\..\\etc\\passwd',
    '//etc/passwd',
    '/assets/app.js/../../../../etc/passwd',
    '/assets/app.js%00.png',
    '/etc/passwd',
    '/assets/',
    '/api/../../etc/passwd',
  ])('traversal %s → 404, no file read', async (path) => {
    fx = appFixture();
    const res = await fx.get(path);
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).not.toContain('root:');
    expect(JSON.parse(text)).toEqual({ error: 'not found' });
  });

  it('an unknown route → 404 JSON', async () => {
    fx = appFixture();
    const res = await fx.get('/api/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not found' });
  });
});

describe('security headers', () => {
  it('every response (200, 401, 404, 405) has nosniff, the strict CSP and no framing', async () => {
    fx = appFixture();
    const responses = [await fx.get('/'), await fx.get('/api/status', { token: null }), await fx.get('/x'), await fx.get('/metrics', { method: 'POST' }), await fx.get('/healthz')];
    for (const res of responses) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe(CSP);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
    expect(CSP).toMatch(/^default-src 'self'/);
    expect(CSP).not.toMatch(/https?:|cdn|unsafe-inline|unsafe-eval/);
  });
});

describe('the dashboard files', () => {
  it('serves each file of the map with its content type, nothing else', async () => {
    fx = appFixture();
    for (const [route, asset] of ASSETS) {
      const res = await fx.get(route, { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(asset.contentType);
      expect(Buffer.from(await res.arrayBuffer()).toString()).toBe(asset.body.toString());
    }
    expect((await fx.get('/assets/app.css', { token: null })).status).toBe(404);
    expect((await fx.get('/index.html')).status).toBe(404);
  });
});

describe('/healthz', () => {
  const MIN = 60_000;
  it.each([
    ['just started, no cycle yet', { startedAgo: 1000, cycleAgo: null }, 200, null],
    ['started long ago, never completed a cycle', { startedAgo: 10 * MIN, cycleAgo: null }, 503, null],
    ['last cycle 30 s ago (interval 1m)', { startedAgo: 10 * MIN, cycleAgo: 30_000 }, 200, 30],
    ['last cycle 2.9 intervals ago', { startedAgo: 10 * MIN, cycleAgo: 174_000 }, 200, 174],
    ['last cycle 3.1 intervals ago', { startedAgo: 10 * MIN, cycleAgo: 186_000 }, 503, 186],
  ] as const)('%s → %i', async (_name, t, status, age) => {
    const now = Date.now();
    fx = appFixture({ startedAtMs: now - t.startedAgo, nowMs: () => now });
    if (t.cycleAgo !== null) fx.live.lastCompletedMs = now - t.cycleAgo;
    const res = await fx.get('/healthz', { token: null });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ ok: status === 200, last_cycle_age_s: age, max_age_s: 180, cycles: 0 });
  });
});

describe('/api/status', () => {
  it('before any log or cycle: UNKNOWN, nulls, zero counts', async () => {
    fx = appFixture();
    const body = (await (await fx.get('/api/status')).json()) as StatusBody;
    expect(body).toMatchObject({ verdict: 'UNKNOWN', latest_check: null, heals_last_hour: 0, baseline: { n: 0, mean: null, stdev: null, threshold_ms: null } });
    expect(body.last).toEqual({ trigger: null, heal: null, verify: null, suppressed: null, warning: null, recovered: null });
    expect(body.daemon).toEqual({ pid: 4242, started_at: expect.stringMatching(/Z$/), cycles: 0, version: '0.1.0-test' });
  });

  it('from the log: latest check, baseline and threshold, last events, heals of the hour; the URL without secrets', async () => {
    fx = appFixture({ raw: { health: { url: 'http://user:pa55word@127.0.0.1:8080/health?key=s3cret#frag' }, latency: { window: 5, min_samples: 5 } } });
    const t = Date.now() - 600_000;
    const trigger = { event: 'anomaly_trigger', ts: iso(t + 5000), reasons: ['health_unhealthy (HTTP 503)'], latency: 3, score: null, cpu: 1, mem: 2, disk: 3 };
    const heal = { event: 'self_heal', ts: iso(t + 6000), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 5, stdout_tail: '', stderr_tail: '' };
    const recovered = { event: 'recovered', ts: iso(t + 8000), cleared: ['health_unhealthy (HTTP 503)'], duration_ms: 3000 };
    fx.seed([check(t, 10), check(t + 1000, 12), check(t + 2000, 14), check(t + 3000, 16), check(t + 4000, 18), check(t + 5000, 3, false), trigger, heal, 'torn {', check(t + 7000, 11), recovered]);
    const body = (await (await fx.get('/api/status')).json()) as StatusBody;
    expect(body.latest_check).toMatchObject({ ts: iso(t + 7000), lat: { latency_ms: 11, ok: true } });
    // window of 5 ok latencies: 12 14 16 18 11 → mean 14.2, stdev √(32.8 / 4) = 2.864, threshold mean + 3·stdev
    expect(body.baseline).toEqual({ n: 5, mean: 14.2, stdev: 2.864, threshold_ms: 22.791 });
    expect(body.last).toEqual({ trigger, heal, verify: null, suppressed: null, warning: null, recovered });
    expect(body.heals_last_hour).toBe(1);
    expect(body.skipped_lines).toBe(1);
    expect(body.config).toEqual({
      profile: 'safe', interval_ms: 60_000, schedule: null, health_url: 'http://***@127.0.0.1:8080/health', sigma: 3, window: 5, detector: 'zscore',
      cpu_critical: 90, mem_critical: 90, disk_warning: 90, max_per_hour: 6,
    });
    expect(JSON.stringify(body)).not.toMatch(/pa55word|s3cret|frag|test-token/);
  });
});

describe('/api/status: records with fields of the wrong type', () => {
  it('are passed over and counted: the latest check and last events are the newest valid ones', async () => {
    fx = appFixture();
    const t = Date.now() - 60_000;
    const trigger = { event: 'anomaly_trigger', ts: iso(t + 1), reasons: ['health_unhealthy (HTTP 503)'], latency: 3, score: null, cpu: 1, mem: 2, disk: 3 };
    fx.seed([check(t, 10), trigger, { ts: iso(t + 2), lat: {} }, { event: 'anomaly_trigger', ts: iso(t + 3), reasons: 'x' }, { ts: iso(t + 4), lat: { latency_ms: 1, ok: true }, res: 'x', score: null, mean: null, stdev: null }]);
    const body = (await (await fx.get('/api/status')).json()) as StatusBody;
    expect(body.latest_check).toEqual(JSON.parse(JSON.stringify(check(t, 10))));
    expect(body.last.trigger).toEqual(trigger);
    expect(body.invalid_records).toBe(3);
  });
});

describe('/api/events', () => {
  const seedEvents = (n: number, start: number) => {
    const lines: object[] = [];
    for (let i = 0; i < n; i++) lines.push(check(start + i * 1000, 10), { event: 'heal_suppressed', ts: iso(start + i * 1000 + 1), why: 'cooldown', detail: `#${i}` });
    return lines;
  };

  it('non-check records, newest first, 50 by default; limit above 1000 is lowered to 1000', async () => {
    fx = appFixture();
    fx.seed([...seedEvents(1100, Date.now() - 2_000_000), 'garbage']);
    const dflt = (await (await fx.get('/api/events')).json()) as EventsBody;
    expect(dflt.events).toHaveLength(50);
    expect(dflt.events[0]?.detail).toBe('#1099');
    expect(dflt.events[49]?.detail).toBe('#1050');
    expect(dflt.events.every((e: { event?: string }) => e.event === 'heal_suppressed')).toBe(true);
    expect(dflt.skipped_lines).toBe(1);
    expect(((await (await fx.get('/api/events?limit=2')).json()) as EventsBody).events.map((e) => e.detail)).toEqual(['#1099', '#1098']);
    expect(((await (await fx.get('/api/events?limit=5000')).json()) as EventsBody).events).toHaveLength(1000);
  });

  it('since: only events at or after it', async () => {
    fx = appFixture();
    const start = Date.now() - 100_000;
    fx.seed(seedEvents(10, start));
    const body = (await (await fx.get(`/api/events?since=${encodeURIComponent(new Date(start + 7000).toISOString())}`)).json()) as EventsBody;
    expect(body.events.map((e) => e.detail)).toEqual(['#9', '#8', '#7']);
  });

  it.each([
    ['limit=0', 'limit: "0" is not accepted; use a whole number from 1 to 1000'],
    ['limit=-3', 'limit: "-3" is not accepted; use a whole number from 1 to 1000'],
    ['limit=ten', 'limit: "ten" is not accepted; use a whole number from 1 to 1000'],
    ['limit=1.5', 'limit: "1.5" is not accepted; use a whole number from 1 to 1000'],
    ['since=yesterday', 'since: "yesterday" is not a timestamp; use ISO 8601, e.g. 2026-01-31T08:00:00Z'],
  ])('%s → 400 naming what is accepted', async (query, error) => {
    fx = appFixture();
    const res = await fx.get(`/api/events?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
  });

  it('no log yet: no events', async () => {
    fx = appFixture();
    expect(await (await fx.get('/api/events')).json()).toEqual({ events: [], skipped_lines: 0, invalid_records: 0 });
  });

  it('leaves out records with fields of the wrong type and counts them; keeps kinds it does not know', async () => {
    fx = appFixture();
    const t = Date.now() - 60_000;
    const good = { event: 'heal_suppressed', ts: iso(t), why: 'cooldown', detail: 'd' };
    const future = { event: 'something_new', ts: iso(t + 3), n: 1 };
    fx.seed([good, check(t + 1, 10), { event: 'anomaly_trigger', ts: iso(t + 2), reasons: 'x' }, { ts: iso(t + 2), lat: {} }, future, { event: 'recovered', ts: iso(t + 4), cleared: 3, duration_ms: null }]);
    expect(await (await fx.get('/api/events')).json()).toEqual({ events: [future, good], skipped_lines: 0, invalid_records: 3 });
  });
});
