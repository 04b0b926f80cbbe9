// The guard marks a probe timed across its own stall (issue 12): the check carries `stalled_ms`, stays out
// of the baseline, and what a stall explains (the latency, a timeout) heals nothing; a failure a stall
// cannot explain (HTTP 503) still heals. The stall is injected (a fake clock and timer for the watch, a
// `stallSpan` dependency for the cycle) or made for real by blocking the event loop.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeHttpPost } from '../../src/effects/http-post.js';
import { validateConfig } from '../../src/config/load.js';
import { runCycle } from '../../src/cycle/check-cycle.js';
import type { CycleDeps } from '../../src/cycle/deps.js';
import { readHistory } from '../../src/cycle/read-history.js';
import { stallWatch, STALL_MIN_MS } from '../../src/daemon/stall-watch.js';
import { systemClock } from '../../src/effects/clock.js';
import { nodeHttpGet } from '../../src/effects/http-client.js';
import { nodeProcessRunner } from '../../src/effects/process-runner.js';
import { nodeTcpConnect } from '../../src/effects/tcp-client.js';
import { fileGuardLog } from '../../src/log/file-log.js';
import { tryLock } from '../../src/log/lock.js';
import { sharedHealthServer } from '../helpers/health-server.js';

describe('stallWatch', () => {
  function fakeWatch() {
    let mono = 1000;
    let tick: (() => void) | null = null;
    let started = 0;
    const watch = stallWatch(
      { monoMs: () => mono },
      {
        everyMs: 50,
        timer: (fn) => {
          started++;
          tick = fn;
          return { stop: () => void (tick = null) };
        },
      },
    );
    const advance = (ms: number, fire = true): void => {
      mono += ms;
      if (fire) tick?.();
    };
    return { watch, advance, now: () => mono, running: () => tick !== null, started: () => started };
  }

  it('counts the lateness of its timer that falls inside a span, and nothing for a timer on time', () => {
    const { watch, advance, now } = fakeWatch();
    const span = watch.span();
    for (let i = 0; i < 5; i++) advance(50);
    expect(watch.stalledMs(1000, now())).toBe(0);
    advance(50 + 300); // the loop was blocked 300 ms: the timer fires that late
    const stallEnd = now();
    expect(watch.stalledMs(1000, now())).toBe(300);
    expect(watch.stalledMs(stallEnd - 100, stallEnd)).toBe(100); // only the part inside the span
    expect(watch.stalledMs(stallEnd + 1, stallEnd + 40)).toBe(0);
    advance(50 + STALL_MIN_MS - 1); // ordinary jitter is not a stall
    expect(watch.stalledMs(stallEnd, now())).toBe(0);
    expect(span.end()).toBe(300);
  });

  it('runs its timer only while a span is open: an idle guard never wakes for it, and the idle time is no stall', () => {
    const { watch, advance, running, started } = fakeWatch();
    expect(running()).toBe(false);
    const a = watch.span();
    const b = watch.span(); // two targets' probes at once: one timer
    expect(started()).toBe(1);
    advance(50);
    expect(a.end()).toBe(0);
    expect(running()).toBe(true); // b still open
    advance(50 + 100); // blocked 100 ms while b was in flight
    expect(b.end()).toBe(100);
    expect(running()).toBe(false);
    expect(b.end()).toBe(0); // ended once
    advance(10_000, false); // ten idle seconds between cycles
    const c = watch.span();
    expect(started()).toBe(2);
    advance(40); // a probe that took 40 ms, no tick due yet
    expect(c.end()).toBe(0);
    // A span that ends late (the loop blocked before its end could run) counts the lateness up to its end.
    const d = watch.span();
    advance(50 + 200, false);
    expect(d.end()).toBe(200);
  });

  it('sees a real block of the event loop', async () => {
    const clock = systemClock();
    const watch = stallWatch(clock, { everyMs: 10 });
    const span = watch.span();
    await new Promise((r) => setTimeout(r, 30));
    const from = clock.monoMs();
    const until = from + 10 * STALL_MIN_MS;
    while (clock.monoMs() < until); // the loop is blocked: no timer can fire
    const to = clock.monoMs();
    const stalled = watch.stalledMs(from, to);
    const spanned = span.end();
    watch.stop();
    expect(stalled).toBeGreaterThan(0);
    // Never more than the span asked about (a busy host may deschedule us after the loop, too).
    expect(stalled).toBeLessThanOrEqual(to - from);
    expect(spanned).toBeGreaterThanOrEqual(stalled);
  });
});

const server = sharedHealthServer();
let dir = '';
afterEach(() => {
  server.setMode({ kind: 'healthy' });
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

function setup(stalledMs: number) {
  dir = mkdtempSync(join(tmpdir(), 'ag-stall-'));
  const { config } = validateConfig(
    { profile: 'seed', health: { url: server.url, timeout: '300ms' }, latency: { min_samples: 3 }, resources: { cpu_sample: '20ms' }, heal: { verify_after: '0s' } },
    { file: null, baseDir: dir },
  );
  const clock = systemClock();
  const deps: CycleDeps = {
    clock,
    http: nodeHttpGet(),
    post: nodeHttpPost(),
    tcp: nodeTcpConnect(),
    procfs: { read: async (rel) => (rel === 'stat' ? 'cpu  100 0 0 900 0 0 0 0 0 0\n' : 'MemTotal: 1000 kB\nMemAvailable: 700 kB\n') },
    statfs: async () => ({ bsize: 4096, blocks: 1000, bfree: 500, bavail: 500 }),
    runner: nodeProcessRunner({ clock }),
    log: fileGuardLog(config.logFile),
    lockHeal: () => tryLock(`${config.logFile}.heal.lock`),
    readFile: async (p) => readFileSync(p, 'utf8'),
    warn: () => undefined,
    stallSpan: () => ({ end: () => stalledMs }),
  };
  const records = (): Record<string, any>[] => readFileSync(config.logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { config, deps, records };
}

describe('a cycle whose probe spanned a stall of the guard', () => {
  it('an ok probe: stalled_ms and in_baseline false on the check; the window leaves it out', async () => {
    const calm = setup(0);
    for (let i = 0; i < 3; i++) await runCycle(calm.config, calm.deps);
    const stalled = { ...calm.deps, stallSpan: () => ({ end: () => 42.5 }) };
    const result = await runCycle(calm.config, stalled);
    const check = calm.records().at(-1)!;
    expect(check).toMatchObject({ lat: { ok: true }, stalled_ms: 42.5, in_baseline: false });
    expect(result.records.map((r) => (r as { event?: string }).event ?? 'check')).toEqual(['check']);
    const window = readHistory(calm.config, calm.deps).history.window;
    expect(window).toEqual(calm.records().slice(0, 3).map((r) => r.lat.latency_ms));
    // Without a stall the same probe is in the window.
    await runCycle(calm.config, calm.deps);
    expect(readHistory(calm.config, calm.deps).history.window).toEqual(calm.records().filter((r) => r.stalled_ms === undefined).map((r) => r.lat.latency_ms));
  });

  it('a timeout that was half stall or more is logged, not healed; the same timeout without a stall triggers', async () => {
    server.setMode({ kind: 'hang' });
    const stalled = setup(280); // most of a 300 ms timeout, whatever the machine adds to it
    const result = await runCycle(stalled.config, stalled.deps);
    expect(result.status).toBe(0);
    const [check, ...rest] = stalled.records();
    expect(check).toMatchObject({ lat: { ok: false }, stalled_ms: 280, reasons: ['health_unhealthy (timeout after 300 ms)'] });
    expect(rest).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
    const calm = setup(0);
    expect((await runCycle(calm.config, calm.deps)).status).toBe(2);
    expect(calm.records()[0]!.stalled_ms).toBeUndefined();
    expect(calm.records()[1]).toMatchObject({ event: 'anomaly_trigger', reasons: ['health_unhealthy (timeout after 300 ms)'] });
  });

  it('a short stall inside a timeout (a hung service on a busy host) explains nothing: it heals', async () => {
    server.setMode({ kind: 'hang' });
    const t = setup(40);
    expect((await runCycle(t.config, t.deps)).status).toBe(2);
    expect(t.records()[0]).toMatchObject({ lat: { ok: false }, stalled_ms: 40, in_baseline: false });
    expect(t.records()[1]).toMatchObject({ event: 'anomaly_trigger', reasons: ['health_unhealthy (timeout after 300 ms)'] });
  });

  it('an HTTP 503 during a stall still triggers: a stall cannot explain it', async () => {
    server.setMode({ kind: 'http', code: 503 });
    const t = setup(120);
    expect((await runCycle(t.config, t.deps)).status).toBe(2);
    expect(t.records()[0]).toMatchObject({ stalled_ms: 120 });
    expect(t.records()[1]).toMatchObject({ event: 'anomaly_trigger', reasons: ['health_unhealthy (HTTP 503)'] });
  });
});
