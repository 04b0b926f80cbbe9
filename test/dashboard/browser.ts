// Headless Chromium for the dashboard tests (the Debian build at /usr/bin/chromium, driven by playwright-core):
// a page that records console errors (CSP violations land there), page errors and any request that
// would leave the served origin (blocked).
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The browser CI installs; the browser tests are skipped only when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
/** True when the browser tests can run. */
export const hasChromium = existsSync(CHROMIUM);
/** Where screenshots go (gitignored). */
export const ARTIFACTS = 'test-artifacts/dashboard';

/** Launches headless Chromium without network side traffic; `extraArgs` e.g. a --host-resolver-rules. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync', ...extraArgs];
  return chromium.launch({ executablePath: CHROMIUM, args, timeout: 15_000 });
}

/** A page with what went wrong on it. */
export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
  /** URLs outside the origin that the page tried to load (they are aborted). */
  offOrigin: string[];
  close(): Promise<void>;
}

/** Opens a new context + page (UTC, en-US) confined to `origin`. */
export async function watchedPage(browser: Browser, origin: string, viewport = { width: 1280, height: 900 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, timezoneId: 'UTC', locale: 'en-US', deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  const offOrigin: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (err) => errors.push(err.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(new URL(origin).origin)) return route.continue();
    offOrigin.push(url);
    return route.abort();
  });
  return { page, errors, offOrigin, close: () => context.close() };
}

/** Saves a screenshot under test-artifacts/dashboard/<name>.png. */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = `${ARTIFACTS}/${name}.png`;
  await page.screenshot({ path, fullPage });
  return path;
}
