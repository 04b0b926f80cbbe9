// All network I/O for GET requests: node:http/https (not fetch: it is slow to load), a warm-up before the
// clock starts, one overall deadline, a capped body, redirects that never carry the configured headers to
// another origin, the request's phases, and error details that never echo header values or URL credentials.
import type { OutgoingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import type { SecureContext } from 'node:tls';
import { MAX_TIMER_MS } from './clock.js';
import { CLOSED_EARLY, describeError } from './http-errors.js';
import { getOnce, type AbortLine, type Hop, type HopRequest, type HttpPhases, type Peer } from './http-hop.js';
import { warmUpClient } from './http-warmup.js';
import type { KeepAlivePool } from './keep-alive-pool.js';
import { loadTls } from './lazy-tls.js';
import { PlainAbort } from './plain-abort.js';

export type { HttpPhases, Peer } from './http-hop.js';
export { peerOf } from './http-hop.js';
export { describeError } from './http-errors.js';

/** One GET: the URL, headers, overall timeout (body included) and body cap. */
export interface HttpGetRequest {
  url: string;
  /** Sent to the URL's origin only: a redirect to another scheme, host or port drops them all. */
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
  /** Redirects followed at most; default 5. */
  maxRedirects?: number;
  /** An extra trusted CA (PEM), added to the system roots. */
  ca?: string | Buffer;
}

/** The request's own time: `totalMs` from its start (after the warm-up) to the end of the body or the
 * failure, and the phases of its last hop. */
export type HttpTiming = HttpPhases & { totalMs: number };

/** A response (final URL after redirects, without credentials) or a safe, one-line error detail. */
export type HttpGetResult =
  | ({ kind: 'response'; status: number; body: Buffer; url: string; timing: HttpTiming } & Peer)
  | { kind: 'error'; detail: string; timing: HttpTiming };

/** Performs a GET; always resolves, never rejects. */
export type HttpGet = (req: HttpGetRequest) => Promise<HttpGetResult>;

/** Warms the client up for a target before the clock starts; never rejects. */
export type WarmUp = (target: URL, signal?: AbortSignal) => Promise<unknown>;

type Failure = { kind: 'error'; detail: string };

const DEFAULT_HEADERS: Record<string, string> = { 'user-agent': 'anomaly-guard', accept: 'application/json' };

/** How long after a request the client counts as warm for the next one of the same kind (scheme, IP address or
 * name) when the caller asks for it (`warmForMs`): a daemon probing every few seconds runs the probe's code
 * far more often than V8 could drop it, and the warm-up's throwaway server and two GETs cost more CPU than the
 * probe itself (bench/README.md, daemon cost). */
export const WARM_FOR_MS = 10_000;

/** How the real client warms up: `warmUp` (default a GET to a server of this process); with `warmForMs`, a
 * request that starts within that many ms of the end of the previous answered one of its kind skips it (`nowMs`, the
 * monotonic clock that window is measured on, defaults to performance.now). */
export interface HttpGetOptions {
  warmUp?: WarmUp;
  warmForMs?: number;
  nowMs?: () => number;
  /** Keep-alive connections to use (health.keep_alive, the daemon only); absent = a new connection per request. */
  pool?: KeepAlivePool;
}

/** The real HttpGet: a fresh connection per request (no keep-alive), so each probe measures a full
 * connect; before each (or, with `warmForMs`, before the first after a pause), the client is warmed up and the
 * TLS roots are loaded, so every probe, the first of a process too, times only the request. With `pool`, requests
 * reuse its idle connections (no warm-up when one is idle: that request runs no connect code), and one whose reused
 * connection the server had dropped is sent once more on a new connection, which is then the request timed. */
export function nodeHttpGet(opts: HttpGetOptions = {}): HttpGet {
  const warmUp = opts.warmUp ?? warmUpClient;
  const contextFor = secureContexts();
  const warm = warmth(opts);
  return async (req) => {
    const target = parseTarget(req.url, undefined);
    if (!(target instanceof URL)) return { ...target, timing: { totalMs: 0 } };
    const tls = target.protocol === 'https:' ? secureContextOf(contextFor, req.ca, target) : undefined;
    if (tls && !('context' in tls)) return { ...tls, timing: { totalMs: 0 } };
    const idle = opts.pool?.idle(target, caKeyOf(req.ca)) ?? false;
    if (!idle && !warm.is(target)) await warmUp(target, req.signal);
    const startMs = performance.now();
    const deadline = new Deadline(req.timeoutMs, req.signal);
    try {
      const result = await followRedirects(req, target, { deadline, startMs, contextFor, pool: opts.pool, retried: false });
      if (result.kind === 'response') warm.used(target); // the whole path ran, the response's parsing too
      return result;
    } finally {
      deadline.dispose();
    }
  };
}

// When each kind of request (scheme, and an IP address or a name to look up) last got an answer; always cold
// without warmForMs.
function warmth(opts: HttpGetOptions): { is(target: URL): boolean; used(target: URL): void } {
  const windowMs = opts.warmForMs ?? 0;
  const now = opts.nowMs ?? (() => performance.now());
  const lastEnd = new Map<string, number>();
  const kind = (t: URL): string => `${t.protocol}${isIP(t.hostname.replace(/^\[(.*)\]$/, '$1')) === 0 ? 'name' : 'ip'}`;
  return {
    is: (target) => windowMs > 0 && now() - (lastEnd.get(kind(target)) ?? Number.NEGATIVE_INFINITY) < windowMs,
    used: (target) => void (windowMs > 0 && lastEnd.set(kind(target), now())),
  };
}

// A request's deadline: its timeout, or the caller's signal aborting first; a plain abort, not an AbortController
// (effects/plain-abort.ts says why). Its reason is the failure's detail.
class Deadline extends PlainAbort implements AbortLine {
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly onOuterAbort = (): void => this.abort('aborted');

  constructor(
    private readonly timeoutMs: number,
    private readonly outer: AbortSignal | undefined,
  ) {
    super();
    // Node fires a timer past MAX_TIMER_MS (24.8 days) after 1 ms: a deadline that long means "none".
    this.timer = setTimeout(() => this.abort(`timeout after ${this.timeoutMs} ms`), Math.min(Math.max(0, timeoutMs), MAX_TIMER_MS));
    if (outer?.aborted) this.abort('aborted');
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  /** Why it aborted, for the detail. */
  readonly detail = (): string => (typeof this.reason === 'string' ? this.reason : 'aborted');

  dispose(): void {
    clearTimeout(this.timer);
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

interface Run {
  deadline: Deadline;
  /** When the timed request started: a retry on a new connection starts it again. */
  startMs: number;
  contextFor: (ca: string | Buffer | undefined) => SecureContext;
  pool: KeepAlivePool | undefined;
  retried: boolean;
}

function caKeyOf(ca: string | Buffer | undefined): string {
  return ca === undefined ? '' : ca.toString();
}

// Every configured header is a secret (an API key may be called anything): they go to the configured
// origin only. A redirect to another scheme, host or port gets the defaults alone; since http:// is
// another origin than https://, they never travel in clear after an https→http redirect (which is
// followed, as curl and Go follow it, without them). Back on the configured origin, they are sent again.
async function followRedirects(req: HttpGetRequest, first: URL, run: Run): Promise<HttpGetResult> {
  const maxRedirects = req.maxRedirects ?? 5;
  // Object.assign here, not a literal that begins with a spread: on Node 20 that makes a hidden class a call (core/merged.ts).
  const timing = (phases: HttpPhases = {}): HttpTiming => Object.assign(run.pool ? { reused: false } : {}, phases, run.retried ? { retried: true } : {}, { totalMs: performance.now() - run.startMs });
  let target: URL | Failure = first;
  for (let followed = 0; ; followed++) {
    if (!(target instanceof URL)) return Object.assign({}, target, { timing: timing() });
    const tls = target.protocol === 'https:' ? secureContextOf(run.contextFor, req.ca, target) : undefined;
    if (tls && !('context' in tls)) return Object.assign({}, tls, { timing: timing() });
    const headers = target.origin === first.origin ? withDefaults(req.headers) : { ...DEFAULT_HEADERS };
    const hop = await hopOnce(run, { target, headers, maxBodyBytes: req.maxBodyBytes, secureContext: tls?.context, signal: run.deadline, abortDetail: run.deadline.detail, startMs: run.startMs }, caKeyOf(req.ca));
    if (hop.kind === 'error') return { kind: 'error', detail: hop.detail, timing: timing(hop.phases) };
    if (hop.kind === 'response') {
      const { kind, status, body, phases, ...peer } = hop;
      return { kind, status, body, url: withoutCredentials(target), timing: timing(phases), ...peer };
    }
    if (followed >= maxRedirects) return Object.assign(fail(`too many redirects (${maxRedirects})`), { timing: timing() });
    target = parseTarget(hop.location, target);
  }
}

// One request through the pool, if any; a reused connection the server had dropped before answering (its
// keep-alive timeout raced the request) costs one more try, on a new connection, whose clock starts anew: the
// dropped attempt measured nothing of the service. Through the pool when none of its connections to the origin
// is idle (the agent then connects anew and keeps the connection), else on a connection of its own.
async function hopOnce(run: Run, hop: Omit<HopRequest, 'agent'>, caKey: string): Promise<Exclude<Hop, { kind: 'stale' }>> {
  const agent = run.pool?.agentFor(hop.target, caKey);
  const first = await getOnce(agent ? Object.assign({}, hop, { agent }) : hop);
  if (first.kind !== 'stale') return first;
  if (run.retried) return { kind: 'error', detail: CLOSED_EARLY, phases: {} };
  run.retried = true;
  run.startMs = performance.now();
  const fresh = run.pool && !run.pool.idle(hop.target, caKey) ? { agent } : {};
  const again = await getOnce(Object.assign({}, hop, { startMs: run.startMs }, fresh));
  return again.kind === 'stale' ? { kind: 'error', detail: CLOSED_EARLY, phases: {} } : again;
}

// One TLS context per trusted-CA setting, kept for the client's life: building one parses the system's
// ~140 root certificates (tens of ms), which no probe should time.
function secureContexts(): (ca: string | Buffer | undefined) => SecureContext {
  let last: { key: string; context: SecureContext } | undefined;
  return (ca) => {
    const key = ca === undefined ? '' : ca.toString();
    if (last?.key === key) return last.context;
    const tls = loadTls();
    last = { key, context: tls.createSecureContext(ca === undefined ? {} : { ca: [...tls.rootCertificates, key] }) };
    return last.context;
  };
}

function secureContextOf(contextFor: (ca: string | Buffer | undefined) => SecureContext, ca: string | Buffer | undefined, target: URL): { context: SecureContext } | Failure {
  try {
    return { context: contextFor(ca) };
  } catch (err) {
    return fail(describeError(err, target));
  }
}

function parseTarget(raw: string, base: URL | undefined): URL | Failure {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return fail(base ? 'request failed: invalid redirect location' : 'request failed: invalid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`request failed: unsupported protocol ${url.protocol}`);
  return url;
}

// The headers sent with each configured header set, made once per set (a target's config keeps its object for life):
// node:http only reads them.
const withDefaultsOf = new WeakMap<Record<string, string>, OutgoingHttpHeaders>();

function withDefaults(headers: Record<string, string>): OutgoingHttpHeaders {
  const made = withDefaultsOf.get(headers);
  if (made !== undefined) return made;
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  const defaults = Object.entries(DEFAULT_HEADERS).filter(([name]) => !given.has(name));
  const all = { ...Object.fromEntries(defaults), ...headers };
  withDefaultsOf.set(headers, all);
  return all;
}

function withoutCredentials(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy.toString();
}

function fail(detail: string): Failure {
  return { kind: 'error', detail };
}
