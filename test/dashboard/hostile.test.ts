// Strings from the network on the page, in real Chromium. A page under a rebound name (the browser maps
// rebind.test to 127.0.0.1, as DNS rebinding would) gets 403 from the real daemon and cannot read the API;
// the same daemon at 127.0.0.1 serves the dashboard, and a reload that lists the name lets it in. And log
// strings (reasons, heal output, the health URL) full of markup are shown as text: no element, no script.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { schedulerLines, waitFor } from '../daemon/daemon-process.js';
import { hasChromium, launchChromium, watchedPage, type WatchedPage } from './browser.js';
import { startDaemonPage, type DaemonPage } from './daemon-page.js';
import { startStubApi, type StubApi } from './stub-api.js';
import { stubData } from './stub-data.js';

let browser: Browser;
let open: WatchedPage | undefined;
let guard: DaemonPage | undefined;
let stub: StubApi | undefined;
beforeAll(async () => {
  if (hasChromium) browser = await launchChromium(['--host-resolver-rules=MAP rebind.test 127.0.0.1']);
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await open?.close();
  await guard?.stop();
  await stub?.close();
  open = guard = stub = undefined;
});

const MARKUP = `<img src=x onerror="document.title='pwned'"><script>document.title='pwned'</script><b>bold</b>`;

describe.skipIf(!hasChromium)('strings from the network on the page', () => {
  it('a page under a rebound name gets 403 and cannot read the API; at 127.0.0.1 the dashboard works; a reload listing the name lets it in', async () => {
    guard = await startDaemonPage(); // no token: what the rebinding page is after
    const port = new URL(guard.url).port;
    const rebound = `http://rebind.test:${port}/`;
    open = await watchedPage(browser, rebound);
    const page = await open.page.goto(rebound);
    expect(page?.status()).toBe(403);
    expect(JSON.parse((await open.page.locator('body').textContent()) ?? '')).toEqual({ error: expect.stringMatching(new RegExp(`^host "rebind.test:${port}" is not allowed: .*http.allowed_hosts$`)) });
    const fromPage = await open.page.evaluate(async () => {
      const res = await fetch('/api/status');
      return { status: res.status, body: await res.text() };
    });
    expect(fromPage.status).toBe(403);
    expect(fromPage.body).not.toContain('"verdict"');
    await open.close();
    open = await watchedPage(browser, guard.url);
    await open.page.goto(guard.url);
    await open.page.waitForFunction(() => Number(document.querySelector<HTMLElement>('#chart')?.dataset.points) >= 1, null, { timeout: 10_000 });
    await open.close();
    guard.env.writeConfig({ interval: '1s', latency: { window: 30, min_samples: 4 }, actions: { latency: 'log' }, http: { listen: `127.0.0.1:${port}`, allowed_hosts: ['rebind.test'] } });
    guard.daemon.child.kill('SIGHUP');
    await waitFor('the reload', () => schedulerLines(join(guard!.env.dir, 'logs', 'scheduler.log')).some((l) => l.startsWith('reload (SIGHUP): ok')), 8000);
    open = await watchedPage(browser, rebound);
    const status = (await open.page.goto(rebound))?.status();
    expect(status).toBe(200);
    expect(open.errors).toEqual([]);
  }, 60_000);

  it('markup in reasons, heal output, the health URL and the detector is shown as text: no element, no script', async () => {
    const data = stubData(Date.now()) as unknown as { status: Record<string, any>; events: { events: Record<string, unknown>[] } };
    data.status.config.health_url = `http://127.0.0.1:8080/${MARKUP}`;
    data.status.config.detector = MARKUP;
    data.status.latest_check.reasons = [`health_unhealthy (${MARKUP})`];
    data.status.last.trigger.reasons = [`health_unhealthy (${MARKUP})`];
    data.status.last.heal.stdout_tail = MARKUP;
    data.events.events.unshift(
      { event: 'anomaly_trigger', ts: new Date().toISOString(), reasons: [`health_unhealthy (${MARKUP})`], latency: 1, score: null, cpu: 1, mem: 1, disk: 1 },
      { event: 'heal_suppressed', ts: new Date().toISOString(), why: 'cooldown', detail: MARKUP },
      { event: MARKUP, ts: new Date().toISOString() },
    );
    stub = await startStubApi(data as never);
    open = await watchedPage(browser, stub.url);
    await open.page.goto(stub.url);
    await open.page.locator('#events-body[data-count="10"]').waitFor();
    const seen = await open.page.evaluate(() => ({
      title: document.title,
      injected: document.querySelectorAll('main img, main script, main b, #events-body img, #events-body b').length,
      events: document.querySelector('#events-body')?.textContent ?? '',
      detail: document.querySelector('#verdict-detail')?.textContent ?? '',
      url: document.querySelector('#health-url')?.textContent ?? '',
    }));
    expect(seen.title).not.toBe('pwned');
    expect(seen.injected).toBe(0);
    expect(seen.events).toContain(`health_unhealthy (${MARKUP})`);
    expect(seen.events).toContain(`cooldown: ${MARKUP}`);
    expect(seen.detail).toBe(`health_unhealthy (${MARKUP})`);
    expect(seen.url).toBe(`http://127.0.0.1:8080/${MARKUP}`);
    expect(open.errors).toEqual([]);
    expect(open.offOrigin).toEqual([]); // the <img src=x> was never requested
  });
});
