// The bundled demo service: a tiny HTTP server with a realistic /health latency and scripted faults.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of the demo service; `random` and `onCrash` are passed in so tests stay in-process. */
export interface DemoServiceOptions {
  baseLatencyMs: number;
  jitterMs: number;
  random?: () => number;
  /** Called right after the `crash` control request was answered; the default exits the process with 1. */
  onCrash?: () => void;
}

/** The fault modes `POST /fault/<mode>` accepts. */
export const FAULT_MODES = ['spike', 'degraded', 'hang', 'crash', 'clear'] as const;
/** One fault mode. */
export type FaultMode = (typeof FAULT_MODES)[number];

const MAX_BODY_BYTES = 4096;
const DEFAULT_SPIKE = { ms: 400, count: 1 };

interface FaultState {
  degraded: boolean;
  hung: boolean;
  spike: { ms: number; count: number };
}

/** A non-negative jitter around `jitterMs`: lognormal (σ 0.25), clamped to ±2σ so it alone never reaches 3 sigma. */
export function sampleJitter(random: () => number, jitterMs: number): number {
  const u1 = 1 - random(); // in (0, 1]: log stays finite
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  const clamped = Math.min(2, Math.max(-2, z));
  return Math.max(0, jitterMs * Math.exp(0.25 * clamped));
}

/** Creates (does not start) the demo service: `GET /health` plus the `POST /fault/<mode>` controls. */
export function createDemoService(opts: DemoServiceOptions): http.Server {
  const random = opts.random ?? Math.random;
  const onCrash = opts.onCrash ?? ((): void => process.exit(1));
  const startedMs = performance.now();
  const state: FaultState = { degraded: false, hung: false, spike: { ms: 0, count: 0 } };

  const health = (res: ServerResponse): void => {
    if (state.hung) return; // never answered: the socket stays open until the client gives up or we close
    let delayMs = opts.baseLatencyMs + sampleJitter(random, opts.jitterMs);
    if (state.spike.count > 0) {
      state.spike.count -= 1;
      delayMs += state.spike.ms;
    }
    const status = state.degraded ? 'Degraded' : 'Healthy';
    setTimeout(() => {
      const uptime_s = Math.round(performance.now() - startedMs) / 1000;
      sendJson(res, 200, { status, uptime_s });
    }, delayMs);
  };

  const control = (res: ServerResponse, mode: string, query: URLSearchParams): void => {
    if (!isFaultMode(mode)) {
      sendJson(res, 400, { ok: false, error: `unknown fault mode "${mode}"; use one of ${FAULT_MODES.join(', ')}` });
      return;
    }
    const applied = applyFault(state, mode, query);
    if (typeof applied === 'string') return sendJson(res, 400, { ok: false, error: applied });
    sendJson(res, 200, { ok: true, mode, ...applied });
    if (mode === 'crash') res.once('finish', () => setImmediate(onCrash));
  };

  return http.createServer((req, res) => {
    readCappedBody(req, (tooLarge) => {
      if (tooLarge) return sendJson(res, 413, { ok: false, error: `request body over ${MAX_BODY_BYTES} bytes` }, true);
      route(req, res, health, control);
    });
  });
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  health: (res: ServerResponse) => void,
  control: (res: ServerResponse, mode: string, query: URLSearchParams) => void,
): void {
  const url = new URL(req.url ?? '/', 'http://demo.invalid');
  const fault = /^\/fault\/([^/]+)$/.exec(url.pathname);
  if (url.pathname === '/health') {
    if (req.method === 'GET' || req.method === 'HEAD') return health(res);
    return sendJson(res, 405, { ok: false, error: 'use GET /health' });
  }
  if (fault) {
    if (req.method === 'POST') return control(res, decodeURIComponent(fault[1] ?? ''), url.searchParams);
    return sendJson(res, 405, { ok: false, error: `use POST ${url.pathname}` });
  }
  sendJson(res, 404, { ok: false, error: `no route ${url.pathname}; try GET /health or POST /fault/<mode>` });
}

function isFaultMode(mode: string): mode is FaultMode {
  return (FAULT_MODES as readonly string[]).includes(mode);
}

// Changes the state for one control request; returns the extra fields of the answer, or an error text.
function applyFault(state: FaultState, mode: FaultMode, query: URLSearchParams): Record<string, number> | string {
  if (mode === 'spike') {
    const ms = parseQueryNumber(query, 'ms', DEFAULT_SPIKE.ms);
    const count = parseQueryNumber(query, 'count', DEFAULT_SPIKE.count);
    if (ms === null) return 'ms must be a non-negative number of milliseconds, e.g. ?ms=400';
    if (count === null || !Number.isInteger(count)) return 'count must be a non-negative integer, e.g. ?count=1';
    state.spike = { ms, count };
    return { ms, count };
  }
  if (mode === 'degraded') state.degraded = true;
  if (mode === 'hang') state.hung = true;
  if (mode === 'clear') Object.assign(state, { degraded: false, hung: false, spike: { ms: 0, count: 0 } });
  return {};
}

function parseQueryNumber(query: URLSearchParams, key: string, fallback: number): number | null {
  const raw = query.get(key);
  if (raw === null) return fallback;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) && n >= 0 ? n : null;
}

// Drains the request body; reports whether it went past the cap (then the rest is not read).
function readCappedBody(req: IncomingMessage, done: (tooLarge: boolean) => void): void {
  let bytes = 0;
  let finished = false;
  const finish = (tooLarge: boolean): void => {
    if (finished) return;
    finished = true;
    done(tooLarge);
  };
  req.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > MAX_BODY_BYTES) finish(true);
  });
  req.on('end', () => finish(false));
  req.on('error', () => finish(true));
}

function sendJson(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) };
  if (close) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(text);
}
