// The API's log reads off the daemon's thread (src/http/read-pool.ts, read-service.ts, the built
// dist/http/read-worker.js): the worker answers what the in-process reader answers; a read that cannot
// finish (a stand-in worker that begins it and never answers, as a read stuck in I/O) holds neither the
// thread nor the other routes, and is answered 503 at its deadline; identical requests share a read; the
// queue is bounded; answers are kept until the log changes or the next cycle; a read past the run limit
// loses its worker, not the pool. No timing.
import { appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { summarySettings } from '../../src/cycle/read-summary.js';
import { statusHead } from '../../src/http/api-status.js';
import { logReader, type ReadRequest } from '../../src/http/log-reads.js';
import { ReadOverrun, workerPool, type ReadExecutor } from '../../src/http/read-pool.js';
import { startHttpServer, type HttpServer } from '../../src/http/serve.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';
import { appFixture, check, inProcessReads, iso, TOKEN, type AppFixture } from './app-fixture.js';

const WORKER = resolve('dist/http/read-worker.js');
/** Never answers a job for the log "stuck"; answers any other at once (test/fixtures/scripts). */
const STUB_WORKER = resolve('test/fixtures/scripts/read-worker-stub.mjs');
let health: HealthServer;
let fx: AppFixture | undefined;
let server: HttpServer | undefined;
const pools: ReadExecutor[] = [];

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does)`);
  health = await startHealthServer();
});
afterEach(async () => {
  await server?.close(100);
  fx?.cleanup();
  server = fx = undefined;
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  await health.close();
});

const pool = (opts: { runLimitMs?: number; file?: string } = {}): ReadExecutor => {
  const p = workerPool({ file: WORKER, ...opts });
  pools.push(p);
  return p;
};

/** Counts the reads that reach the executor. */
function counted(exec: ReadExecutor): { exec: ReadExecutor; runs: ReadRequest[] } {
  const runs: ReadRequest[] = [];
  return { runs, exec: { slots: exec.slots, run: (req, signal) => (runs.push(req), exec.run(req, signal)), close: () => exec.close() } };
}


async function listen(f: AppFixture): Promise<string> {
  const got = await startHttpServer(f.app.fetch, { host: '127.0.0.1', port: 0, loopback: true });
  if (typeof got === 'string') throw new Error(got);
  server = got;
  return `http://127.0.0.1:${got.port}`;
}

const authed = { headers: { authorization: `Bearer ${TOKEN}` } };

describe('the read worker', () => {
  it('answers series, events and status exactly as the in-process reader does; a read error is an error, and the worker goes on', async () => {
    fx = appFixture();
    const t = Date.now() - 1_800_000;
    const lines: (object | string)[] = [];
    for (let i = 0; i < 600; i++) lines.push(check(t + i * 2000, 10 + (i % 7), i % 50 !== 0));
    lines.push({ event: 'anomaly_trigger', ts: iso(t + 1_000_000), reasons: ['latency_anomaly_3sigma (score=4.1)'], latency: 90, score: 4.1, cpu: 1, mem: 2, disk: 3 }, 'torn {');
    lines.push({ event: 'self_heal', ts: iso(t + 1_001_000), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 5, stdout_tail: 'ok <b>é</b>', stderr_tail: '' });
    fx.seed(lines);
    const nowMs = Date.now();
    const requests: ReadRequest[] = [
      { kind: 'series', logFile: fx.logFile, range: '1h', nowMs, sigma: 3 },
      { kind: 'events', logFile: fx.logFile, query: { sinceMs: null, limit: 50 } },
      { kind: 'status', logFile: fx.logFile, nowMs, settings: summarySettings(fx.config), head: statusHead(fx.config, fx.live, nowMs) },
    ];
    const workers = pool();
    for (const req of requests) {
      const fromWorker: unknown = JSON.parse(new TextDecoder().decode(await workers.run(req)));
      expect(fromWorker, req.kind).toEqual(logReader().body(req));
    }
    expect((logReader().body(requests[0]!) as { points: unknown[] }).points.length).toBeGreaterThan(500);
    await expect(workers.run({ ...requests[1]!, logFile: fx.dir } as ReadRequest)).rejects.toThrow(`cannot read log ${fx.dir}: ${fx.dir} is a folder, not a regular file`);
    expect(JSON.parse(new TextDecoder().decode(await workers.run(requests[1]!)))).toEqual(logReader().body(requests[1]!));
  });

  it('a read that cannot finish holds neither the thread nor other routes; it is answered 503 at its deadline; identical requests share it; past the queue bound 503 at once', async () => {
    const { exec, runs } = counted(pool({ file: STUB_WORKER }));
    fx = appFixture({ healthUrl: health.url, executor: exec, readLimits: { waitMs: 1500, maxQueue: 1 }, appLogFile: 'stuck' });
    const base = await listen(fx);
    // Asked in-process, so their order is certain: once the microtasks ran, the series read has reached the
    // worker (which begins it and never answers), the second series request has joined it, and the events
    // read waits in the queue (1 place).
    const reads = [fx.get('/api/series?range=1h'), fx.get('/api/series?range=1h'), fx.get('/api/events')];
    await new Promise((r) => setImmediate(r));
    expect(runs.map((r) => r.kind)).toEqual(['series']);
    const full = await fx.get('/api/events?limit=4');
    expect(full.status).toBe(503);
    expect(full.headers.get('retry-after')).toBe('5');
    expect(await full.json()).toEqual({ error: 'the log read queue is full (1 waiting); try again shortly' });
    // The daemon's thread is free: other routes answer on the socket, and a whole cycle (probe included) runs.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`, authed)).status).toBe(200);
    const report = await fx.cycle();
    expect(report.result?.measurement?.probe.ok).toBe(true);
    for (const res of await Promise.all(reads)) {
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.json()).toEqual({ error: 'the log read took longer than 1.5 s; try again shortly' });
    }
    // Once nobody waited for the series read it was stopped, and the queued events read ran (on a new worker,
    // stuck too, and stopped in turn when its waiter gave up).
    expect(runs.map((r) => r.kind)).toEqual(['series', 'events']);
    const after: unknown = JSON.parse(new TextDecoder().decode(await exec.run({ kind: 'series', logFile: 'not-stuck', range: '1h', nowMs: Date.now(), sigma: 3 })));
    expect(after).toEqual({ stub: true, logFile: 'not-stuck' });
  });

  it('a read past the run limit has its worker stopped; the next read runs on a new worker', async () => {
    const workers = pool({ file: STUB_WORKER, runLimitMs: 1000 });
    const req: ReadRequest = { kind: 'events', logFile: 'stuck', query: { sinceMs: null, limit: 5 } };
    const stuck = workers.run(req);
    await expect(stuck).rejects.toBeInstanceOf(ReadOverrun);
    await expect(stuck).rejects.toThrow('the log read ran past 1 s and was stopped');
    const next: unknown = JSON.parse(new TextDecoder().decode(await workers.run({ ...req, logFile: 'next' })));
    expect(next).toEqual({ stub: true, logFile: 'next' });
  });
});

describe('the read service', () => {
  it('requests are paced (all clients together): past the burst, one whose turn would come after its deadline gets 503 at once', async () => {
    fx = appFixture({ readLimits: { ratePerSecond: 0.001, burst: 2 } }); // one turn every 1000 s
    expect((await fx.get('/api/series')).status).toBe(200);
    expect((await fx.get('/api/events')).status).toBe(200);
    const paced = await fx.get('/api/status');
    expect(paced.status).toBe(503);
    expect(paced.headers.get('retry-after')).toBe('5');
    expect(await paced.json()).toEqual({ error: 'too many API requests (more than 0.001 a second); try again shortly' });
    expect((await fx.get('/healthz')).status).toBe(200); // not an API read: not paced
  });

  it('a read that fails is a 500 for the client and one line for scheduler.log naming the route', async () => {
    fx = appFixture({ appLogFile: tmpdir() }); // a folder: the read fails
    const res = await fx.get('/api/events');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error (the daemon reported it in scheduler.log)' });
    expect(fx.problems).toEqual([`http: GET "/api/events" failed: cannot read log ${tmpdir()}: ${tmpdir()} is a folder, not a regular file`]);
  });


  it('identical requests share one read; an answer is kept until the log changes or the next cycle', async () => {
    const { exec, runs } = counted(inProcessReads());
    fx = appFixture({ executor: exec });
    fx.seed([check(Date.now() - 60_000, 10), check(Date.now() - 30_000, 11)]);
    const get = async (): Promise<number> => ((await (await fx!.get('/api/series')).json()) as { points: unknown[] }).points.length;
    expect(await Promise.all([get(), get(), get()])).toEqual([2, 2, 2]);
    expect(await get()).toBe(2);
    expect(runs).toHaveLength(1);
    appendFileSync(fx.logFile, JSON.stringify(check(Date.now() - 5000, 12)) + '\n');
    expect(await get()).toBe(3);
    expect(runs).toHaveLength(2);
    fx.live.cycles += 1; // what a finished cycle does
    expect(await get()).toBe(3);
    expect(runs).toHaveLength(3);
    await fx.get('/api/series?range=1d');
    await fx.get('/api/events');
    expect(runs.map((r) => r.kind)).toEqual(['series', 'series', 'series', 'series', 'events']);
  });
});
