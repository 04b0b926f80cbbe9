// The HTTP app (hono): the dashboard's files, the JSON API, Prometheus /metrics and /healthz. createApp
// returns an app that tests call without a port; every error becomes a JSON response in one onError.
import { Hono, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { GuardConfig } from '../config/config.js';
import { summarySettings } from '../cycle/read-summary.js';
import { parseEventsQuery } from './api-events.js';
import { scopeOf, targetsRequest } from './api-targets.js';
import { fleetMemory, type FleetMemory } from './fleet-memory.js';
import { healthBody } from './api-health.js';
import { parseRange } from './api-series.js';
import { statusHead } from './api-status.js';
import { requireToken } from './auth.js';
import { hostAllowed, hostPolicy, hostRefusal } from './host-check.js';
import type { LiveState } from './live.js';
import type { ReadRequest } from './log-reads.js';
import type { GuardMetrics } from './metrics.js';
import type { LogReads } from './read-service.js';
import type { SseHub } from './sse.js';

/** A file of the dashboard. */
export interface Asset {
  contentType: string;
  body: string | Buffer;
}

/** What the app reads: the config in force, the daemon's live state, its metrics and stream. */
export interface AppDeps {
  config(): GuardConfig;
  live: LiveState;
  metrics: GuardMetrics;
  sse: SseHub;
  /** The log reads of /api/status, /api/events and /api/series (off the daemon's thread: read-service.ts). */
  reads: LogReads;
  /** The daemon's memory of each target's cycles (a config with targets); default: an empty one (rows from the logs). */
  fleet?: FleetMemory;
  nowMs(): number;
  /** The dashboard's files by route ('/', '/assets/app.js'); default: the built dashboard, loaded at first use. */
  assets?(): Promise<Map<string, Asset>>;
  /** Reports a failed request (500) in scheduler.log. */
  problem?(line: string): void;
}

/** An expected failure of a request: its status and a message for the client. */
export class HttpProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The Content-Security-Policy of every response: only this origin, no framing, no plugins. */
export const CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Creates the app. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use('*', securityHeaders, checkHost(() => deps.config().http), onlyGetWithoutBody);
  const auth = requireToken(() => deps.config().http.token);
  // The page and its files hold no data (the page asks for the token itself); everything else needs it.
  app.use('*', (c, next) => (isOpen(c.req.path) ? next() : auth(c, next)));
  app.get('/healthz', (c) => {
    const body = healthBody(deps.config(), deps.live, deps.nowMs());
    return c.json(body, body.ok ? 200 : 503);
  });
  const read = async (req: ReadRequest): Promise<Response> => {
    const answer = await deps.reads.read(req);
    if (!answer.ok) throw new HttpProblem(503, answer.busy, { 'retry-after': String(answer.retryAfterS) });
    return new Response(answer.bytes, { headers: { 'content-type': 'application/json' } });
  };
  const fleet = deps.fleet ?? fleetMemory(deps.live);
  // The config a read is about: the target of ?target=NAME, or the guard itself without targets.
  const scoped = (name: string | undefined): GuardConfig => {
    const scope = scopeOf(deps.config(), name);
    if ('problem' in scope) throw new HttpProblem(scope.status, scope.problem);
    return scope.config;
  };
  app.get('/api/status', (c) => {
    const [config, nowMs] = [scoped(c.req.query('target')), deps.nowMs()];
    const live = config.target === null ? deps.live : fleet.live(config.target);
    return read({ kind: 'status', logFile: config.logFile, nowMs, settings: summarySettings(config), head: statusHead(config, live, nowMs) });
  });
  app.get('/api/events', (c) => {
    const config = scoped(c.req.query('target'));
    const q = parseEventsQuery({ since: c.req.query('since'), limit: c.req.query('limit') });
    if (typeof q === 'string') throw new HttpProblem(400, q);
    return read({ kind: 'events', logFile: config.logFile, query: q });
  });
  app.get('/api/series', (c) => {
    const config = scoped(c.req.query('target'));
    const q = parseRange(c.req.query('range'));
    if ('problem' in q) throw new HttpProblem(400, q.problem);
    return read({ kind: 'series', logFile: config.logFile, range: q.range, nowMs: deps.nowMs(), sigma: config.latency.sigma });
  });
  app.get('/api/targets', () => {
    const config = deps.config();
    if (config.targets.length === 0) throw new HttpProblem(404, 'this guard has no targets: GET /api/status is its status');
    return read(targetsRequest(config, fleet, deps.nowMs()));
  });
  app.get('/api/stream', (c) => {
    if (c.req.method === 'HEAD') return c.body(null, 200, { 'content-type': 'text/event-stream; charset=utf-8' });
    const res = deps.sse.connect();
    if (res === null) throw new HttpProblem(503, 'too many stream clients; try again later');
    return res;
  });
  app.get('/metrics', async (c) => c.body(await deps.metrics.registry.metrics(), 200, { 'content-type': deps.metrics.registry.contentType }));
  app.get('*', serveAssets(deps.assets ?? builtDashboard(), () => deps.config().targets.length));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    if (err instanceof HttpProblem) return c.json({ error: err.message }, err.status, err.headers);
    // The path comes from the network: quoted, so no control character reaches scheduler.log or a terminal.
    deps.problem?.(`http: GET ${JSON.stringify(c.req.path.slice(0, 200))} failed: ${err.message}`);
    return c.json({ error: 'internal error (the daemon reported it in scheduler.log)' }, 500);
  });
  return app;
}

function isOpen(path: string): boolean {
  return path === '/healthz' || path === '/' || path.startsWith('/assets/');
}

const securityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const h = c.res.headers;
  h.set('x-content-type-options', 'nosniff');
  h.set('content-security-policy', CSP);
  h.set('x-frame-options', 'DENY');
  h.set('referrer-policy', 'no-referrer');
  if (!h.has('cache-control')) h.set('cache-control', 'no-store');
};

// Before anything else: a page under a foreign name (DNS rebinding) gets nothing, not even /healthz.
function checkHost(http: () => GuardConfig['http']): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    if (!hostAllowed(host, hostPolicy(http()))) return c.json({ error: hostRefusal(host ?? '') }, 403);
    return next();
  };
}

// Every route is a GET: other methods are 405, and a request that carries a body is refused unread.
const onlyGetWithoutBody: MiddlewareHandler = async (c, next) => {
  const method = c.req.method;
  if (method !== 'GET' && method !== 'HEAD') {
    return c.json({ error: `method ${method.slice(0, 16)} is not allowed; every route is GET` }, 405, { allow: 'GET, HEAD' });
  }
  const length = c.req.header('content-length');
  if ((length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined) {
    return c.json({ error: 'request bodies are not accepted' }, 413);
  }
  return next();
};

// Files are looked up by their exact route in a fixed map: no path reaches the file system. The page of a
// guard with targets says so on its <body> (the script then opens the overview, or the target of ?target=).
function serveAssets(load: () => Promise<Map<string, Asset>>, targets: () => number): MiddlewareHandler {
  return async (c) => {
    const asset = (await load()).get(c.req.path);
    if (asset === undefined) return c.json({ error: 'not found' }, 404);
    const n = c.req.path === '/' && typeof asset.body === 'string' ? targets() : 0;
    const body = typeof asset.body === 'string' ? (n > 0 ? asset.body.replace('<body>', `<body data-targets="${n}">`) : asset.body) : new Uint8Array(asset.body);
    return c.body(body, 200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
  };
}

function builtDashboard(): () => Promise<Map<string, Asset>> {
  let loading: Promise<Map<string, Asset>> | null = null;
  return () => (loading ??= import('./dashboard/assets.js').then((m) => m.dashboardAssets() as Map<string, Asset>));
}
