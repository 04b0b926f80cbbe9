// The overview of a guard with `targets:` in real headless Chromium (issue 12). Served by the real daemon
// (`anomaly-guard run`, three targets: one down, one slow, one fast): the landing page lists them worst
// first, the filter box narrows them by name, and a click on a row opens that target's own page, whose every
// API call names the target. Served by the app on 127.0.0.1 over 1,000 generated small logs: it renders a
// row per target and the filter works (no timing asserted).
import type { Browser, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { dashboardAssets } from '../../src/http/dashboard/assets.js';
import { startHttpServer, type HttpServer } from '../../src/http/serve.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { appFixture, check, iso, TOKEN, type AppFixture } from '../http/app-fixture.js';
import { hasChromium, launchChromium, screenshot, watchedPage, type WatchedPage } from './browser.js';
import { startDaemonPage, type DaemonPage } from './daemon-page.js';

let browser: Browser;
let open: WatchedPage | undefined;
let guard: DaemonPage | undefined;
let slow: HealthServer | undefined;
let fast: HealthServer | undefined;
let fx: AppFixture | undefined;
let server: HttpServer | undefined;
beforeAll(async () => {
  if (hasChromium) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await open?.close();
  await guard?.stop();
  await Promise.all([slow?.close(), fast?.close()]);
  await server?.close();
  fx?.cleanup();
  open = guard = slow = fast = server = fx = undefined;
});

// Page-side code as strings: this file is type-checked without the DOM library (it imports the server's app).
const rowNames = (w: WatchedPage): Promise<string[]> => w.page.evaluate(`Array.from(document.querySelectorAll('#targets-body tr:not([hidden])'), (r) => r.dataset.target)`);
const shown = (w: WatchedPage, n: number): Promise<unknown> => w.page.waitForFunction(`document.querySelector('#targets-body')?.dataset.shown === '${n}'`);

describe.skipIf(!hasChromium)('the overview of a guard with targets (real daemon)', () => {
  it('lists the three targets worst first; the filter narrows them; a row opens the target\'s own page, scoped to it', async () => {
    [slow, fast] = await Promise.all([startHealthServer(), startHealthServer()]);
    slow.setMode({ kind: 'healthy', delayMs: 150 });
    // fast answers at once, slow after 150 ms, and nobody listens for down.
    guard = await startDaemonPage({ targets: [{ name: 'fast', health: { url: fast.url } }, { name: 'slow', health: { url: slow.url } }, { name: 'down', health: { url: 'http://127.0.0.1:9/health' } }] });
    open = await watchedPage(browser, guard.url);
    const w = open;
    await w.page.goto(guard.url);
    // Each target's first cycles: the down one CRITICAL, the other two OK with a latency each.
    await w.page.locator('#targets-body tr[data-target="down"][data-state="CRITICAL"]').waitFor({ timeout: 20_000 });
    await w.page.locator('#targets-body tr[data-target="slow"][data-state="OK"] .spark').waitFor({ timeout: 20_000 });
    await w.page.locator('#targets-body tr[data-target="fast"][data-state="OK"]').waitFor({ timeout: 20_000 });
    expect(await rowNames(w)).toEqual(['down', 'fast', 'slow']);
    expect(await w.page.locator('#single').isHidden()).toBe(true);
    expect(await w.page.locator('#targets-count').textContent()).toBe('3 targets');
    expect(await w.page.locator('#targets-body tr[data-target="down"] .incident').textContent()).toMatch(/health_unhealthy \(connection refused/);
    await screenshot(w.page, 'overview-3-targets');

    await w.page.locator('#targets-search').fill('SL');
    await shown(w, 1);
    expect(await rowNames(w)).toEqual(['slow']);
    expect(await w.page.locator('#targets-count').textContent()).toBe('1 of 3 targets');

    const requests: string[] = [];
    w.page.on('request', (r: Request) => void (new URL(r.url()).pathname.startsWith('/api/') && requests.push(r.url())));
    await w.page.locator('#targets-body tr[data-target="slow"] td.heals').click(); // anywhere on the row
    await w.page.waitForURL(/\?target=slow$/);
    await w.page.locator('#verdict[data-verdict="OK"]').waitFor({ timeout: 15_000 });
    await w.page.locator('#chart:not([data-points="0"])').waitFor({ timeout: 15_000 });
    expect(await w.page.locator('#scope-name').textContent()).toBe('slow');
    expect(await w.page.locator('#overview').isHidden()).toBe(true);
    // The slow target's latencies only: its latest is its server's delay or more (the fast one answers in a few ms).
    const latency = (await w.page.locator('#latency-now').textContent()) ?? '';
    expect(latency.endsWith(' s') ? Number.parseFloat(latency) * 1000 : Number.parseFloat(latency)).toBeGreaterThanOrEqual(150);
    const reads = requests.filter((u) => !u.includes('/api/stream'));
    expect(reads.length).toBeGreaterThanOrEqual(3);
    for (const u of reads) expect(new URL(u).searchParams.get('target'), u).toBe('slow');
    await screenshot(w.page, 'overview-target-slow');
    expect(w.errors).toEqual([]);
    expect(w.offOrigin).toEqual([]);
  }, 90_000);
});

describe.skipIf(!hasChromium)('an overview of 1,000 targets (the app on 127.0.0.1, generated logs)', () => {
  it('renders a row per target, the worst first, and the filter finds one by name', async () => {
    const names = Array.from({ length: 1000 }, (_, i) => `svc-${String(i).padStart(4, '0')}`);
    fx = appFixture({ assets: dashboardAssets(), raw: { targets: names.map((name) => ({ name, health: { url: `http://127.0.0.1:9/${name}` } })) } });
    const now = Date.now();
    for (const [i, t] of fx.config.targets.entries()) {
      const lines = [check(now - 3000, 10 + (i % 7)), check(now - 2000, 11 + (i % 5)), check(now - 1000, 12 + (i % 3), i % 250 !== 0)];
      if (i % 250 === 0) lines.push({ event: 'anomaly_trigger', ts: iso(now - 900), reasons: ['health_unhealthy (HTTP 503)'], latency: 12, score: null, cpu: 1, mem: 1, disk: 1 });
      mkdirSync(dirname(t.logFile), { recursive: true });
      writeFileSync(t.logFile, lines.map((l) => JSON.stringify({ ...l, target: t.target })).join('\n') + '\n');
    }
    const got = await startHttpServer(fx.app.fetch, { host: '127.0.0.1', port: 0, loopback: true });
    if (typeof got === 'string') throw new Error(got);
    server = got;
    const url = `http://127.0.0.1:${got.port}/`;
    open = await watchedPage(browser, url);
    const w = open;
    await w.page.goto(`${url}#token=${TOKEN}`);
    await w.page.locator('#targets-body[data-count="1000"]').waitFor({ state: 'attached', timeout: 30_000 });
    expect(await w.page.locator('#targets-body tr').count()).toBe(1000);
    // Every log read (on a busy machine some may come with the next refresh, past the read's time budget).
    await w.page.waitForFunction(`document.querySelectorAll('#targets-body tr[data-state="CRITICAL"]').length === 4 && document.querySelectorAll('#targets-body tr[data-state="UNKNOWN"]').length === 0`, undefined, { timeout: 60_000 });
    expect((await rowNames(w)).slice(0, 4)).toEqual(['svc-0000', 'svc-0250', 'svc-0500', 'svc-0750']);
    await w.page.locator('#targets-search').fill('svc-0999');
    await shown(w, 1);
    expect(await rowNames(w)).toEqual(['svc-0999']);
    await w.page.locator('#targets-search').fill('svc-01');
    await shown(w, 100);
    await w.page.locator('#targets-search').fill('');
    await shown(w, 1000);
    expect(w.errors).toEqual([]);
  }, 120_000);
});
