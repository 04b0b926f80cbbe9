// All network I/O for GET requests: node:http/https (not fetch: it is slow to load), one overall
// deadline, a capped body, redirects, and error details that never echo header values or URL credentials.
import http from 'node:http';
import { MAX_TIMER_MS } from './clock.js';
import { loadHttps, loadTls } from './lazy-tls.js';
import type { ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** One GET: the URL, headers, overall timeout (body included) and body cap. */
export interface HttpGetRequest {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxBodyBytes: number;
  signal?: AbortSignal;
  /** Redirects followed at most; default 5. */
  maxRedirects?: number;
  /** An extra trusted CA (PEM), added to the system roots. */
  ca?: string | Buffer;
}

/** A response (final URL after redirects, without credentials) or a safe, one-line error detail. */
export type HttpGetResult =
  | ({ kind: 'response'; status: number; body: Buffer; url: string } & Peer)
  | { kind: 'error'; detail: string };

/** Performs a GET; always resolves, never rejects. */
export type HttpGet = (req: HttpGetRequest) => Promise<HttpGetResult>;

/** Who answered: the peer's IP address and, over TLS, when its certificate expires (epoch ms). */
export interface Peer {
  ip?: string;
  certValidToMs?: number;
}

type Hop = ({ kind: 'response'; status: number; body: Buffer } & Peer) | { kind: 'redirect'; location: string } | Failure;
type Failure = { kind: 'error'; detail: string };

interface Deadline {
  signal: AbortSignal;
  detail(): string;
  dispose(): void;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
// Like Go's net/http: credentials are not forwarded to another origin on a redirect.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);
const CLOSED_EARLY = 'connection closed before the response completed';
const DEFAULT_HEADERS: Record<string, string> = { 'user-agent': 'anomaly-guard', accept: 'application/json' };

/** The real HttpGet: a fresh connection per request (no keep-alive), so each probe measures a full connect. */
export function nodeHttpGet(): HttpGet {
  return async (req) => {
    const deadline = startDeadline(req.timeoutMs, req.signal);
    try {
      return await followRedirects(req, deadline);
    } finally {
      deadline.dispose();
    }
  };
}

function startDeadline(timeoutMs: number, outer: AbortSignal | undefined): Deadline {
  const controller = new AbortController();
  let why = 'aborted';
  // Node fires a timer past MAX_TIMER_MS (24.8 days) after 1 ms: a deadline that long means "none".
  const delayMs = Math.min(Math.max(0, timeoutMs), MAX_TIMER_MS);
  const timer = setTimeout(() => {
    if (controller.signal.aborted) return;
    why = `timeout after ${timeoutMs} ms`;
    controller.abort();
  }, delayMs);
  const onOuterAbort = (): void => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    detail: () => why,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

async function followRedirects(req: HttpGetRequest, deadline: Deadline): Promise<HttpGetResult> {
  const maxRedirects = req.maxRedirects ?? 5;
  let target = parseTarget(req.url, undefined);
  let headers = withDefaults(req.headers);
  for (let followed = 0; ; followed++) {
    if (!(target instanceof URL)) return target;
    if (deadline.signal.aborted) return fail(deadline.detail());
    const hop = await getOnce(target, headers, req, deadline);
    if (hop.kind === 'error') return hop;
    if (hop.kind === 'response') return { ...hop, url: withoutCredentials(target) };
    if (followed >= maxRedirects) return fail(`too many redirects (${maxRedirects})`);
    const next = parseTarget(hop.location, target);
    if (next instanceof URL && next.origin !== target.origin) headers = dropCredentials(headers);
    target = next;
  }
}

function getOnce(target: URL, headers: OutgoingHttpHeaders, req: HttpGetRequest, deadline: Deadline): Promise<Hop> {
  return new Promise((resolve) => {
    let settled = false;
    let responded = false;
    let request: ClientRequest | undefined;
    const settle = (hop: Hop): void => {
      if (settled) return;
      settled = true;
      deadline.signal.removeEventListener('abort', onAbort);
      request?.destroy();
      resolve(hop);
    };
    const onAbort = (): void => settle(fail(deadline.detail()));
    deadline.signal.addEventListener('abort', onAbort, { once: true });
    const onResponse = (res: IncomingMessage): void => {
      responded = true;
      handleResponse(res, req.maxBodyBytes, settle);
    };
    try {
      request = send(target, headers, req.ca, onResponse);
    } catch (err) {
      return settle(fail(describeError(err, target)));
    }
    request.on('error', (err) => settle(fail(responded ? CLOSED_EARLY : describeError(err, target))));
    request.end();
  });
}

function send(target: URL, headers: OutgoingHttpHeaders, ca: string | Buffer | undefined, onResponse: (res: IncomingMessage) => void): ClientRequest {
  if (target.protocol === 'http:') return http.request(target, { method: 'GET', headers, agent: false }, onResponse);
  const trusted = ca === undefined ? undefined : [...loadTls().rootCertificates, ca.toString()];
  return loadHttps().request(target, { method: 'GET', headers, agent: false, ca: trusted }, onResponse);
}

function handleResponse(res: IncomingMessage, maxBodyBytes: number, settle: (hop: Hop) => void): void {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (REDIRECT_STATUSES.has(status) && location) return settle({ kind: 'redirect', location });
  const tooLarge = fail(`body larger than ${maxBodyBytes} bytes`);
  if (Number(res.headers['content-length'] ?? 0) > maxBodyBytes) return settle(tooLarge);
  const peer = peerOf(res.socket);
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBodyBytes) return settle(tooLarge);
    chunks.push(chunk);
  });
  res.on('end', () => settle({ kind: 'response', status, body: Buffer.concat(chunks, size), ...peer }));
  res.on('error', () => settle(fail(CLOSED_EARLY)));
  res.on('close', () => settle(fail(CLOSED_EARLY))); // a no-op after 'end'
}

/** The peer of a connected socket: its address and, for a TLS socket, its certificate's expiry. */
export function peerOf(socket: Socket | null | undefined): Peer {
  const peer: Peer = socket?.remoteAddress ? { ip: socket.remoteAddress } : {};
  const cert = socket && 'getPeerCertificate' in socket ? (socket as TLSSocket).getPeerCertificate() : null;
  const validTo = cert?.valid_to ? Date.parse(cert.valid_to) : Number.NaN;
  return Number.isFinite(validTo) ? { ...peer, certValidToMs: validTo } : peer;
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

function withDefaults(headers: Record<string, string>): OutgoingHttpHeaders {
  const given = new Set(Object.keys(headers).map((name) => name.toLowerCase()));
  const defaults = Object.entries(DEFAULT_HEADERS).filter(([name]) => !given.has(name));
  return { ...Object.fromEntries(defaults), ...headers };
}

function dropCredentials(headers: OutgoingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name.toLowerCase())));
}

function withoutCredentials(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return copy.toString();
}

function fail(detail: string): Failure {
  return { kind: 'error', detail };
}

// Built from the error code and the URL's hostname only: messages may quote header names, hosts, paths.
/** A safe one-line detail for a connection error (the tcp client uses it too). */
export function describeError(err: unknown, target: URL): string {
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
  const message = err instanceof Error ? err.message : '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return message === 'socket hang up' ? CLOSED_EARLY : 'connection reset';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found: ${target.hostname}`;
  const tlsReason = describeTlsError(code, message, target);
  if (tlsReason) return tlsReason;
  if (code === 'ERR_INVALID_CHAR' || code === 'ERR_INVALID_HTTP_TOKEN') return `request failed: invalid header name or value (${code})`;
  return `request failed: ${code || (err instanceof Error ? err.name : 'unknown error')}`;
}

const TLS_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown issuer',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_REVOKED: 'certificate revoked',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate does not match the host name',
  ERR_SSL_WRONG_VERSION_NUMBER: 'wrong version number (does the server speak TLS?)',
  ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE: 'handshake failure',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'unsupported protocol version',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'unsupported protocol version',
};

function describeTlsError(code: string, message: string, target: URL): string | null {
  // EPROTO carries the OpenSSL reason in its message: "...:SSL routines:ssl3_get_record:wrong version number:..."
  const opensslReason = /SSL routines:[^:]*:([a-z0-9 ]+)/.exec(message)?.[1];
  const looksTls = /^ERR_(SSL|TLS)_|CERT/.test(code) || (code === 'EPROTO' && target.protocol === 'https:');
  if (!looksTls) return null;
  const reason = TLS_REASONS[code] ?? (opensslReason === 'wrong version number' ? TLS_REASONS.ERR_SSL_WRONG_VERSION_NUMBER : opensslReason);
  return reason ? `TLS error: ${reason} (${code})` : `TLS error: ${code}`;
}
