// What the latency chart and the health panel show, in real headless Chromium, served by the real daemon
// (`anomaly-guard run`) over a seeded log: an incident as one shaded span, failed probes and triggers as marks
// of their own kinds in the row below the plot, the log-scale toggle (remembered across a reload), time-axis
// labels that never repeat (1 h, 24 h, a zoom), and a latched heal budget as a state of its own.
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, screenshot, watchedPage, type WatchedPage } from './browser.js';
import { startDaemonPage, type DaemonPage } from './daemon-page.js';
import { chartLog, latchedBudgetLog } from './seed-log.js';

let browser: Browser;
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
  await guard?.stop();
  open = guard = undefined;
});

type Box = { left: number; right: number; top: number; bottom: number; color: string; title: string };
// The incident spans and the marks of both lanes, read in one go: a live cycle's redraw cannot fall between them.
const marks = (w: WatchedPage): Promise<Record<'spans' | 'failed' | 'triggers', Box[]>> =>
  w.page.evaluate(() => {
    const read = (selector: string) =>
      Array.from(document.querySelectorAll(selector)).map((n) => {
        const r = n.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, color: getComputedStyle(n).backgroundColor, title: n.getAttribute('title') ?? '' };
      });
    return { spans: read('#chart .incident-span'), failed: read('#chart .lane-failed .mark-failed'), triggers: read('#chart .lane-trigger .mark-trigger') };
  });
const labels = async (w: WatchedPage, key: 'xLabels' | 'yTicks'): Promise<(string | number)[]> => JSON.parse((await w.page.locator('#chart').getAttribute(`data-${key === 'xLabels' ? 'x-labels' : 'y-ticks'}`)) ?? '[]');
const draws = async (w: WatchedPage): Promise<number> => Number(await w.page.locator('#chart').getAttribute('data-draws'));

async function openChartLog(): Promise<{ w: WatchedPage; x: (ms: number) => Promise<number> }> {
  const nowMs = Date.now();
  guard = await startDaemonPage({}, chartLog(nowMs).records);
  open = await watchedPage(browser, guard.url);
  const w = open;
  await w.page.goto(guard.url);
  await w.page.locator('#chart[data-range="1h"][data-incidents="1"] .incident-span').waitFor({ timeout: 15_000 });
  // Where a time is on screen: the plot's left and width over the range the chart shows.
  const x = async (ms: number): Promise<number> => {
    const over = await w.page.locator('#chart .u-over').boundingBox();
    const span = await w.page.evaluate(() => (document.querySelector<HTMLElement>('#chart')?.dataset.view ?? '').split(',').map(Number));
    const [from = 0, to = 1] = span;
    return (over?.x ?? 0) + ((ms / 1000 - from) / (to - from)) * (over?.width ?? 0);
  };
  return { w, x };
}

describe.skipIf(!hasChromium)('the chart over a seeded log (real daemon)', () => {
  it('an incident is one shaded span over its failed checks; failed probes and the trigger are marks of their own kinds in separate lanes, with a key', async () => {
    const nowMs = Date.now();
    const { w, x } = await openChartLog();
    const times = chartLog(nowMs).times;
    const seen = await marks(w);
    const [span, ...more] = seen.spans;
    expect(more).toEqual([]);
    expect(span?.title).toMatch(/^incident: /);
    // The span runs from the first failed check to the recovered heal verification (a pixel or two of rounding).
    expect(Math.abs((span?.left ?? 0) - (await x(times.incidentFrom)))).toBeLessThan(3);
    expect(Math.abs((span?.right ?? 0) - (await x(times.incidentTo)))).toBeLessThan(3);
    const { failed, triggers } = seen;
    expect(failed).toHaveLength(2); // the incident's run of failed checks, and the lone failed probe
    expect(triggers).toHaveLength(1);
    const [run, blip] = failed as [Box, Box];
    const trigger = triggers[0] as Box;
    expect(run.left).toBeGreaterThanOrEqual((span?.left ?? 0) - 1);
    expect(run.right).toBeLessThanOrEqual((span?.right ?? 0) + 1);
    expect(Math.abs(blip.left - (await x(times.blip)))).toBeLessThan(3);
    expect(blip.left).toBeGreaterThan(span?.right ?? 0); // no incident around the lone failed probe
    // Distinct to the eye: another colour, another lane (below the plot, under the failed lane).
    expect(trigger.color).not.toBe(run.color);
    expect(trigger.top).toBeGreaterThanOrEqual(run.bottom);
    const plot = await w.page.locator('#chart .u-over').boundingBox();
    expect(run.top).toBeGreaterThanOrEqual((plot?.y ?? 0) + (plot?.height ?? 0));
    expect(trigger.left).toBeGreaterThanOrEqual((span?.left ?? 0) - 1);
    // The key names each kind in the colour it is drawn in.
    const key = await w.page.locator('.chart-key li').evaluateAll((lis) => lis.map((li) => [li.textContent, getComputedStyle(li.querySelector('.swatch') as Element).backgroundColor]));
    expect(key.find(([text]) => text?.startsWith('failed probe'))?.[1]).toBe(run.color);
    expect(key.find(([text]) => text?.startsWith('trigger'))?.[1]).toBe(trigger.color);
    expect(key.some(([text]) => text?.startsWith('incident'))).toBe(true);
    await screenshot(w.page, 'chart-incident');
    expect(w.errors).toEqual([]);
  }, 90_000);

  it('the log-scale toggle redraws the latency axis in decades and is remembered after a reload', async () => {
    const { w } = await openChartLog();
    expect(await w.page.locator('#chart').getAttribute('data-scale')).toBe('linear');
    const linear = (await labels(w, 'yTicks')) as number[];
    const steps = new Set(linear.slice(1).map((v, i) => v - (linear[i] as number)));
    expect(steps.size).toBe(1); // evenly spaced: the 3 s outlier sets the top, the rest lies flat near 0
    expect(Math.max(...linear)).toBeGreaterThanOrEqual(3000);
    await w.page.getByLabel('Log scale').check();
    await w.page.locator('#chart[data-scale="log"]').waitFor();
    const log = (await labels(w, 'yTicks')) as number[];
    expect(log).toEqual(expect.arrayContaining([10, 100, 1000]));
    await screenshot(w.page, 'chart-log-scale');
    await w.page.reload();
    await w.page.locator('#chart[data-scale="log"][data-incidents="1"] .incident-span').waitFor({ timeout: 15_000 });
    expect(await w.page.getByLabel('Log scale').isChecked()).toBe(true);
    expect(await labels(w, 'yTicks')).toEqual(expect.arrayContaining([10, 100, 1000]));
    await w.page.getByLabel('Log scale').uncheck();
    await w.page.locator('#chart[data-scale="linear"]').waitFor();
    expect(w.errors).toEqual([]);
  }, 90_000);

  it('time-axis labels are distinct for 1 h and 24 h of checks, on a phone, and zoomed into a minute', async () => {
    const { w } = await openChartLog();
    const distinct = async (what: string, atLeast: number): Promise<string[]> => {
      const seen = (await labels(w, 'xLabels')) as string[];
      expect(seen.length, `${what}: ${seen.join(' | ')}`).toBeGreaterThanOrEqual(atLeast);
      expect(new Set(seen).size, `${what}: ${seen.join(' | ')}`).toBe(seen.length);
      return seen;
    };
    const hour = await distinct('1 h', 6);
    expect(hour.every((l) => /^\d\d:\d\d(\n|$)/.test(l))).toBe(true);
    await w.page.getByText('Last day', { exact: true }).click();
    await w.page.locator('#chart[data-range="1d"]').waitFor();
    await w.page.waitForFunction(() => Number(document.querySelector<HTMLElement>('#chart')?.dataset.points) > 1000);
    await distinct('24 h', 6);
    await w.page.setViewportSize({ width: 390, height: 844 });
    await w.page.waitForFunction(() => (document.querySelector('#chart .uplot')?.getBoundingClientRect().width ?? 1000) < 400);
    await distinct('24 h on a phone', 2);
    await w.page.setViewportSize({ width: 1280, height: 900 });
    await w.page.getByText('Last hour', { exact: true }).click();
    await w.page.locator('#chart[data-range="1h"]').waitFor();
    // Drag across 20 px of the hour: about a minute, ticks seconds apart.
    const over = await w.page.locator('#chart .u-over').boundingBox();
    const before = await draws(w);
    const y = (over?.y ?? 0) + 50;
    const x0 = (over?.x ?? 0) + (over?.width ?? 0) / 2;
    await w.page.mouse.move(x0, y);
    await w.page.mouse.down();
    await w.page.mouse.move(x0 + 20, y, { steps: 5 });
    await w.page.mouse.up();
    await w.page.waitForFunction((n) => Number(document.querySelector<HTMLElement>('#chart')?.dataset.draws) > n, before);
    const zoomed = await distinct('zoomed', 3);
    expect(zoomed.every((l) => /^\d\d:\d\d:\d\d(\n|$)/.test(l))).toBe(true);
    expect(w.errors).toEqual([]);
  }, 120_000);
});

describe.skipIf(!hasChromium)('the heal budget on the health panel (real daemon)', () => {
  it('a budget latched off shows HEALING OFF in its own colours, not a green OK, with why and how to resume', async () => {
    guard = await startDaemonPage({ heal: { max_per_hour: 6, stop_when_exhausted: true, resume_after: '2h' } }, latchedBudgetLog(Date.now()));
    open = await watchedPage(browser, guard.url);
    const w = open;
    await w.page.goto(guard.url);
    const verdict = w.page.locator('#verdict');
    await w.page.locator('#verdict[data-state="HEALING_OFF"]').waitFor({ timeout: 15_000 });
    expect(await verdict.getAttribute('data-verdict')).toBe('OK'); // the check passes; healing is still off
    expect(await verdict.getAttribute('class')).toContain('healing-off');
    expect(await w.page.locator('#verdict-word').textContent()).toBe('HEALING OFF');
    expect(await w.page.locator('#verdict-detail').textContent()).toMatch(/^Healing is off: the heal budget was spent at .* \(6 of 6 heals in the last hour\); it stays off until .*heal-reset`\. Last check OK: /); // then its reasons (a slow test machine's latency outliers are only logged)
    const colour = await w.page.locator('#verdict-word').evaluate((n) => getComputedStyle(n).color);
    expect(colour).not.toBe('rgb(21, 128, 61)'); // --ok
    const status = (await (await fetch(`${guard.url}api/status`)).json()) as { heal_budget: unknown };
    expect(status.heal_budget).toEqual({ exhausted_at: expect.stringMatching(/Z$/), latched: true });
    await screenshot(w.page, 'healing-off');
    expect(w.errors).toEqual([]);
  }, 60_000);
});
