// An app under test without a port: a temp folder with a config and a log, the live state, metrics and
// event stream a daemon would feed, and real cycles against a real health server when a test needs them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuardConfig } from '../../src/config/config.js';
import { validateConfig } from '../../src/config/load.js';
import { runCycle } from '../../src/cycle/check-cycle.js';
import type { CycleReport } from '../../src/cycle/cycle-watch.js';
import { createApp, type Asset } from '../../src/http/app.js';
import { fleetMemory, type FleetMemory } from '../../src/http/fleet-memory.js';
import { liveState, type LiveState } from '../../src/http/live.js';
import { logReader } from '../../src/http/log-reads.js';
import type { ReadExecutor } from '../../src/http/read-pool.js';
import { readService, type ReadServiceOptions } from '../../src/http/read-service.js';
import { guardMetrics, type GuardMetrics } from '../../src/http/metrics.js';
import { sseHub, type SseHub } from '../../src/http/sse.js';
import { realCycleDeps } from '../../src/cli/real-deps.js';
import { deepMerge, PROC_IDLE } from '../helpers/guard-env.js';

/** A token long enough not to be warned about. */
export const TOKEN = 'test-token-0123456789abcdef';

/** The app and everything it reads. */
export interface AppFixture {
  dir: string;
  logFile: string;
  config: GuardConfig;
  live: LiveState;
  /** The daemon's memory of each target's cycles (fed by cycle() of a target). */
  fleet: FleetMemory;
  metrics: GuardMetrics;
  sse: SseHub;
  app: ReturnType<typeof createApp>;
  problems: string[];
  /** A request with the token (unless `token` is given: null sends none). */
  get(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** Writes the log's lines (records or raw text). */
  seed(lines: (object | string)[]): void;
  /** Runs one real cycle (real probe, fixture /proc, real log) and feeds it to live, metrics and stream;
   * `target`: one of config.targets (default: the config itself). */
  cycle(target?: GuardConfig): Promise<CycleReport>;
  cleanup(): void;
}

/** The small set of dashboard files the tests serve (the real page is built by another part). */
export const ASSETS = new Map<string, Asset>([
  ['/', { contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>anomaly-guard</title>' }],
  ['/assets/app.js', { contentType: 'text/javascript; charset=utf-8', body: 'console.log(1)' }],
  ['/assets/icon.svg', { contentType: 'image/svg+xml', body: Buffer.from('<svg/>') }],
]);

/** Creates a fixture; `raw` is merged over a quiet config whose health URL is `healthUrl`. */
export function appFixture(
  opts: {
    raw?: Record<string, unknown>;
    healthUrl?: string;
    startedAtMs?: number;
    nowMs?: () => number;
    /** Where the reads run (default: in this thread); and the read service's limits. */
    executor?: ReadExecutor;
    readLimits?: Partial<ReadServiceOptions>;
    /** The log the app reads, when not the cycles' log (a FIFO, which the config loader would not take). */
    appLogFile?: string;
    /** The dashboard's files (default ASSETS). */
    assets?: Map<string, Asset>;
  } = {},
): AppFixture {
  const dir = mkdtempSync(join(tmpdir(), 'ag-http-'));
  const base = {
    log_file: 'logs/guard.ndjson',
    interval: '1m',
    health: { url: opts.healthUrl ?? 'http://127.0.0.1:9/health', timeout: '2s' },
    resources: { procfs: PROC_IDLE, cpu_sample: '20ms' },
    heal: { verify_after: '0s' },
    http: { listen: '127.0.0.1:9102', token: TOKEN },
  };
  const { config } = validateConfig(deepMerge(base, opts.raw ?? {}), { file: null, baseDir: dir });
  const appConfig = { ...config, logFile: opts.appLogFile ?? config.logFile };
  const info = { pid: 4242, version: '0.1.0-test', startedAtMs: opts.startedAtMs ?? Date.now() };
  const live = liveState(info);
  const fleet = fleetMemory(info);
  const metrics = guardMetrics(info);
  const sse = sseHub({ maxClients: 4, pingMs: 60_000 });
  const problems: string[] = [];
  const nowMs = opts.nowMs ?? (() => Date.now());
  const reads = readService(opts.executor ?? inProcessReads(), { generation: () => live.cycles, ...opts.readLimits });
  const app = createApp({ config: () => appConfig, live, fleet, metrics, sse, reads, nowMs, assets: async () => opts.assets ?? ASSETS, problem: (l) => problems.push(l) });
  let n = 0;
  return {
    dir, logFile: config.logFile, config, live, fleet, metrics, sse, app, problems,
    get(path, init = {}) {
      const { token = TOKEN, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      return Promise.resolve(app.request(path, { ...rest, headers }));
    },
    seed(lines) {
      mkdirSync(join(dir, 'logs'), { recursive: true });
      writeFileSync(config.logFile, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
    },
    async cycle(target = config) {
      const deps = realCycleDeps(target, (l) => problems.push(l));
      const startedMs = Date.now();
      try {
        const result = await runCycle(target, deps);
        const report: CycleReport = { cycle: ++n, config: target, startedMs, endedMs: Date.now(), durationMs: Date.now() - startedMs, result, error: null };
        live.observe(report);
        fleet.observe(report);
        metrics.observe(report);
        return report;
      } finally {
        deps.close();
      }
    },
    cleanup: () => {
      sse.close();
      void reads.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The reads of the app run in this thread (the daemon runs the same reader in a worker: read-pool.ts). */
export function inProcessReads(): ReadExecutor {
  const reader = logReader();
  return { slots: 1, run: async (req) => reader.bytes(req), close: async () => undefined };
}

/** ISO stamp with microseconds, like the log's. */
export const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

/** A check record at `ms`. */
export function check(ms: number, latency_ms: number, ok = true, extra: Record<string, unknown> = {}): object {
  return { ts: iso(ms), lat: { latency_ms, ok }, res: { cpu: 10, mem: 30, disk: 50 }, score: null, mean: null, stdev: null, ...extra };
}
