// The HTTP server as a daemon service: the live state, metrics and event stream fed by each cycle, the
// app on its socket, its log reads in a worker thread. A failure to listen is reported and tried again
// after each cycle (guarding goes on).
import { STATUS_WORDS } from '../core/decision/status.js';
import { formatTs } from '../core/format.js';
import type { CycleReport, DaemonView } from '../cycle/cycle-watch.js';
import { createApp } from './app.js';
import type { ListenAddress } from '../config/listen.js';
import { fleetMemory } from './fleet-memory.js';
import { liveState } from './live.js';
import { guardMetrics } from './metrics.js';
import { workerPool } from './read-pool.js';
import { readService } from './read-service.js';
import { startHttpServer, type HttpServer } from './serve.js';
import { sseHub } from './sse.js';

/** The built read worker: dist/http/read-worker.js, beside dist/cli and dist/chunks (where this code runs). */
export const READ_WORKER_FILE = new URL('../http/read-worker.js', import.meta.url);

/** The running HTTP service. */
export interface HttpService {
  observe(report: CycleReport): void;
  close(): Promise<void>;
  /** Where it listens, or null while it could not. */
  address(): string | null;
}

/** Builds the app and listens on `listen`. */
export async function startHttpService(view: DaemonView, listen: ListenAddress): Promise<HttpService> {
  const info = { pid: view.pid, version: view.version, startedAtMs: view.startedAtMs };
  const live = liveState(info);
  const fleet = fleetMemory(info);
  const metrics = guardMetrics({ ...info, config: view.config });
  const sse = sseHub();
  const reads = readService(workerPool({ file: READ_WORKER_FILE }), { generation: () => live.cycles });
  const app = createApp({ config: view.config, live, fleet, metrics, sse, reads, nowMs: view.nowMs, problem: view.problem });
  let server: HttpServer | null = null;
  let lastProblem: string | null = null;
  let closed = false;
  const tryListen = async (): Promise<void> => {
    const got = await startHttpServer(app.fetch, listen);
    if (typeof got !== 'string') {
      server = got;
      if (closed) return void (await got.close());
      const auth = view.config().http.token === null ? 'no token' : 'token required';
      return view.info(`http: listening on ${got.address} (dashboard /, API /api/, /metrics, /healthz; ${auth})`);
    }
    if (got !== lastProblem) view.problem(`http: ${got}; the dashboard, API and /metrics are off, retried after each cycle`);
    lastProblem = got;
  };
  await tryListen();
  let retrying: Promise<void> | null = null;
  return {
    observe(report) {
      live.observe(report);
      fleet.observe(report);
      metrics.observe(report);
      const verdict = report.result === null ? 'UNKNOWN' : STATUS_WORDS[report.result.status];
      // With targets, the event names its target: a page of one target refreshes on its own cycles only.
      const target = report.config.target === null ? {} : { target: report.config.target };
      sse.publish('cycle', { ts: formatTs(report.endedMs), cycle: report.cycle, verdict, ...target });
      if (server === null && retrying === null) retrying = tryListen().finally(() => (retrying = null));
    },
    async close() {
      closed = true;
      await retrying;
      sse.close();
      await (server as HttpServer | null)?.close();
      await reads.close();
    },
    address: () => (server as HttpServer | null)?.address ?? null,
  };
}
