// The dashboard in a real headless Chromium. First against a stub API (the page renders the data it is
// given, switches ranges, follows the stream, asks for a token), then against the real daemon.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync } from 'node:fs';
import { hasChromium, launchChromium, screenshot, watchedPage, type WatchedPage } from './browser.js';
import { startDaemonPage, type DaemonPage } from './daemon-page.js';
import { startStubApi, type StubApi } from './stub-api.js';
import { stubData } from './stub-data.js';

let browser: Browser;
let stub: StubApi | undefined;
let open: WatchedPage | undefined;
let guard: DaemonPage | undefined;
beforeAll(async () => {
  if (hasChromium) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await open?.close();
  await stub?.close();
  await guard?.stop();
  open = stub = guard = undefined;
});

const attr = (w: WatchedPage, selector: string, name: string): Promise<string | null> => w.page.locator(selector).getAttribute(name);

async function openStub(opts: { token?: string; hash?: string; viewport?: { width: number; height: number } } = {}): Promise<WatchedPage> {
  stub = await startStubApi(stubData(Date.now()), { token: opts.token });
  open = await watchedPage(browser, stub.url, opts.viewport);
  await open.page.goto(`${stub.url}${opts.hash ?? ''}`);
  return open;
}

describe.skipIf(!hasChromium)('dashboard page against a stub API', () => {
  it('renders the status, the chart (points, failed probe, trigger markers), the gauges and every event kind', async () => {
    const w = await openStub();
    await w.page.locator('#chart[data-points="60"] canvas').waitFor();
    await w.page.locator('#events-body[data-count="7"]').waitFor();
    expect(await w.page.locator('#verdict-word').textContent()).toBe('CRITICAL');
    expect(await attr(w, '#verdict', 'data-verdict')).toBe('CRITICAL');
    expect(await w.page.locator('#latency-now').textContent()).toBe('161.2 ms');
    expect(await w.page.locator('#score-now').textContent()).toBe('9.50');
    expect(await attr(w, '#chart', 'data-markers')).toBe('2');
    expect(await attr(w, '#chart', 'data-failed')).toBe('1');
    expect(await w.page.locator('[data-gauge="disk"]').getAttribute('data-level')).toBe('warn');
    expect(await w.page.locator('[data-gauge="cpu"] .value').textContent()).toBe('12.5 %');
    expect(await w.page.locator('[data-gauge="heals"] .value').textContent()).toBe('1 of 6');
    expect(await w.page.locator('#last-heal').textContent()).toContain('exit 0 after 1.24 s · ');
    const rows = await w.page.locator('#events-body tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-event'), tr.querySelector('.tag')?.textContent, tr.querySelector('.detail')?.textContent]));
    expect(rows.map((r) => r[0])).toEqual(['resource_warning', 'recovered', 'heal_verify', 'self_heal', 'anomaly_trigger', 'heal_suppressed', 'anomaly_trigger']);
    expect(rows).toContainEqual(['self_heal', 'Heal', 'exit 0 after 1.24 s']);
    expect(rows).toContainEqual(['heal_suppressed', 'Heal suppressed', 'cooldown: cooldown ends at 09:40:00']);
    expect(rows).toContainEqual(['recovered', 'Recovered', 'cleared latency_anomaly_3sigma (score=9.50) after 2m 5s']);
    expect(await w.page.locator('#health-url').textContent()).toBe('http://127.0.0.1:8080/health');
    await screenshot(w.page, 'stub-desktop');
    expect(w.errors).toEqual([]); // no CSP violation, no script error
    expect(w.offOrigin).toEqual([]); // nothing fetched from the network
  });

  it('records with fields of the wrong type show raw with what is wrong; the rest of the page still renders', async () => {
    const data = stubData(Date.now());
    const status = data.status as { latest_check: Record<string, unknown>; last: Record<string, unknown> };
    const ts = String(status.latest_check.ts);
    status.latest_check = { ts, lat: {} };
    status.last = { ...status.last, trigger: { event: 'anomaly_trigger', ts, reasons: 'x' } };
    const events = (data.events as { events: object[] }).events;
    events.unshift({ event: 'anomaly_trigger', ts, reasons: 'x', latency: 1, score: null, cpu: 1, mem: 1, disk: 1 }, { event: 'self_heal', ts: 42, command: 'restart' }, { event: 'recovered', ts, cleared: {}, duration_ms: 1 });
    stub = await startStubApi(data);
    open = await watchedPage(browser, stub.url);
    const w = open;
    await w.page.goto(stub.url);
    await w.page.locator('#events-body[data-count="10"]').waitFor();
    const rows = await w.page.locator('#events-body tr').evaluateAll((trs) => trs.slice(0, 3).map((tr) => [tr.getAttribute('data-event'), tr.querySelector('.detail')?.textContent]));
    expect(rows.map((r) => r[0])).toEqual(['anomaly_trigger', 'self_heal', 'recovered']);
    expect(rows[0]?.[1]).toMatch(/^invalid record \(reasons is a string, not a list\): \{"event":"anomaly_trigger"/);
    expect(rows[1]?.[1]).toMatch(/^invalid record \(ts is a number, not string\): /);
    expect(rows[2]?.[1]).toMatch(/^invalid record \(cleared is an object, not a list\): /);
    expect(await w.page.locator('#verdict-detail').textContent()).toBe('The latest check record is invalid (lat.latency_ms is missing)');
    expect(await w.page.locator('#latency-now').textContent()).toBe('—');
    expect(await w.page.locator('[data-gauge="cpu"] .value').textContent()).toBe('—');
    expect(await w.page.locator('#last-trigger').textContent()).toMatch(/^invalid record \(reasons is a string, not a list\)/);
    await w.page.locator('#chart[data-points="60"] canvas').waitFor();
    expect(w.errors).toEqual([]); // no TypeError in the page
  });

  it('the range selector asks the API for the range and redraws the chart with it', async () => {
    const w = await openStub();
    await w.page.locator('#chart[data-points="60"]').waitFor();
    for (const [label, range, points, markers] of [['Last day', '1d', '96', '1'], ['Last week', '1w', '168', '0'], ['Last hour', '1h', '60', '2']] as const) {
      await w.page.getByText(label, { exact: true }).click();
      await w.page.locator(`#chart[data-range="${range}"][data-points="${points}"]`).waitFor();
      expect(await attr(w, '#chart', 'data-markers')).toBe(markers);
      expect(stub?.requests.some((r) => r.path === `/api/series?range=${range}`)).toBe(true);
    }
    expect(w.errors).toEqual([]);
  });

  it('a cycle event on the stream refetches status, series and events', async () => {
    const w = await openStub();
    await w.page.locator('body[data-live="live"]').waitFor();
    await w.page.locator('#events-body[data-count="7"]').waitFor();
    const api = stub as StubApi;
    api.data.status = { ...(api.data.status as object), verdict: 'OK', latest_check: { ...(api.data.status as { latest_check: object }).latest_check, reasons: [] } };
    api.data.events = { events: [{ event: 'heal_verify', ts: new Date().toISOString(), recovered: true, latency_ms: 41 }], skipped_lines: 0 };
    const before = api.requests.length;
    api.pushCycle({ ts: new Date().toISOString(), verdict: 'OK' });
    await w.page.locator('#verdict[data-verdict="OK"]').waitFor({ timeout: 3000 });
    await w.page.locator('#events-body[data-count="1"]').waitFor({ timeout: 3000 });
    const paths = api.requests.slice(before).map((r) => r.path.replace(/\?.*/, ''));
    expect(new Set(paths)).toEqual(new Set(['/api/status', '/api/events', '/api/series']));
  });

  it('takes the token from #token=…, sends it as a header (stream included), and drops it from the address bar', async () => {
    const w = await openStub({ token: 's3cret', hash: '#token=s3cret' });
    await w.page.locator('#chart[data-points="60"]').waitFor();
    await w.page.locator('body[data-live="live"]').waitFor();
    expect(new URL(w.page.url()).hash).toBe('');
    const api = (stub as StubApi).requests.filter((r) => r.path.startsWith('/api/'));
    expect(api.map((r) => r.path.replace(/\?.*/, ''))).toEqual(expect.arrayContaining(['/api/status', '/api/series', '/api/events', '/api/stream']));
    expect(new Set(api.map((r) => r.auth))).toEqual(new Set(['Bearer s3cret']));
    expect((stub as StubApi).requests.every((r) => !r.path.includes('s3cret'))).toBe(true);
  });

  it('without a token it asks once, then loads; a wrong token is refused and asked again', async () => {
    const w = await openStub({ token: 's3cret' });
    const form = w.page.locator('#token-form');
    await form.waitFor({ state: 'visible' });
    await w.page.getByLabel('Access token').fill('wrong');
    await w.page.getByRole('button', { name: 'Open dashboard' }).click();
    await w.page.getByText('That token was refused').waitFor();
    await w.page.getByLabel('Access token').fill('s3cret');
    await w.page.getByRole('button', { name: 'Open dashboard' }).click();
    await w.page.locator('#chart[data-points="60"]').waitFor();
    expect(await form.isHidden()).toBe(true);
    expect(await w.page.evaluate(() => sessionStorage.getItem('anomaly-guard.token'))).toBe('s3cret');
  });

  it('fits a phone screen: no sideways scrolling, the chart as wide as its card', async () => {
    const w = await openStub({ viewport: { width: 390, height: 844 } });
    await w.page.locator('#chart[data-points="60"] canvas').waitFor();
    const sizes = await w.page.evaluate(() => ({ page: document.documentElement.scrollWidth, chart: document.querySelector('#chart .uplot')?.getBoundingClientRect().width ?? 0, card: document.querySelector('#chart')?.getBoundingClientRect().width ?? 0 }));
    expect(sizes.page).toBeLessThanOrEqual(390);
    expect(sizes.chart).toBeGreaterThan(300);
    expect(Math.abs(sizes.chart - sizes.card)).toBeLessThan(2);
    await screenshot(w.page, 'stub-phone');
    await w.page.setViewportSize({ width: 1000, height: 800 });
    await w.page.waitForFunction(() => (document.querySelector('#chart .uplot')?.getBoundingClientRect().width ?? 0) > 800);
    expect(w.errors).toEqual([]);
  });
});

const count = (w: WatchedPage, name: string): Promise<number> => attr(w, '#chart', `data-${name}`).then(Number);

describe.skipIf(!hasChromium)('dashboard served by the real daemon (anomaly-guard run, http.listen)', () => {
  // UPDATE_DOCS_SCREENSHOT=1 lets it collect more checks first and writes docs/dashboard.png.
  const forDocs = Boolean(process.env.UPDATE_DOCS_SCREENSHOT);
  const pointsWhen = (w: WatchedPage, atLeast: number, timeout: number) =>
    w.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('#chart')?.dataset.points) >= n, atLeast, { timeout });
  const row = (w: WatchedPage, event: string, text: string) => w.page.locator(`#events-body tr[data-event="${event}"]`, { hasText: text }).first();

  it('shows live checks; an injected fault becomes a trigger marker and events within a cycle or two; the range selector refetches', async () => {
    guard = await startDaemonPage();
    open = await watchedPage(browser, guard.url, { width: 1280, height: 1040 });
    const w = open;
    await w.page.goto(guard.url);
    await pointsWhen(w, forDocs ? 40 : 3, forDocs ? 90_000 : 10_000);
    expect(await w.page.locator('#verdict').getAttribute('data-verdict')).toBe('OK');
    const [markersBefore, pointsBefore, healsBefore] = [await count(w, 'markers'), await count(w, 'points'), guard.heals];
    // The fault: the service says Degraded until the heal command (which calls the test back) fixes it.
    guard.jitter(false);
    guard.health.setMode({ kind: 'status', status: 'Degraded' });
    await w.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('#chart')?.dataset.markers) > n, markersBefore, { timeout: 4000 });
    await row(w, 'anomaly_trigger', 'health_unhealthy (status=Degraded)').waitFor({ timeout: 2000 });
    await row(w, 'self_heal', 'exit 0').waitFor({ timeout: 2000 });
    await row(w, 'heal_verify', 'recovered').waitFor({ timeout: 2000 });
    await row(w, 'recovered', 'cleared health_unhealthy').waitFor({ timeout: 4000 });
    expect(guard.heals).toBe(healsBefore + 1);
    expect(await count(w, 'failed')).toBeGreaterThan(0);
    expect(await w.page.locator('#last-trigger').textContent()).toContain('health_unhealthy (status=Degraded)');
    await pointsWhen(w, pointsBefore + (forDocs ? 12 : 2), forDocs ? 30_000 : 6000);
    const shot = await screenshot(w.page, 'daemon-desktop');
    if (forDocs) copyFileSync(shot, 'docs/dashboard.png');
    // The range selector: the request goes out and the chart redraws with the answer.
    const draws = await count(w, 'draws');
    const asked = w.page.waitForRequest((r) => r.url().endsWith('/api/series?range=1d'));
    await w.page.getByText('Last day', { exact: true }).click();
    await asked;
    await w.page.locator('#chart[data-range="1d"]').waitFor();
    expect(await count(w, 'draws')).toBeGreaterThan(draws);
    expect(await count(w, 'markers')).toBeGreaterThan(0);
    expect(w.errors).toEqual([]);
    expect(w.offOrigin).toEqual([]);
  }, 150_000);

  it('with http.token: the page opened as #token=… reads the API and the stream with the token', async () => {
    const token = 'dashboard-e2e-token-0123456789';
    guard = await startDaemonPage({ http: { token } });
    expect((await fetch(`${guard.url}api/status`)).status).toBe(401);
    open = await watchedPage(browser, guard.url);
    const w = open;
    const sent: (string | undefined)[] = [];
    w.page.on('request', (r) => r.url().includes('/api/') && sent.push(r.headers().authorization));
    await w.page.goto(`${guard.url}#token=${token}`);
    await pointsWhen(w, 1, 8000);
    await w.page.locator('body[data-live="live"]').waitFor({ timeout: 4000 });
    await w.page.locator('#token-form').waitFor({ state: 'hidden' });
    expect(new URL(w.page.url()).hash).toBe('');
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(new Set(sent)).toEqual(new Set([`Bearer ${token}`]));
  });
});
