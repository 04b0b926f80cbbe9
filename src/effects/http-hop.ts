// One GET, on a new connection (no keep-alive) or, given a keep-alive agent, on one of its pool: the
// request, when each of its phases ended on the monotonic clock, and a capped body. The client and its warm-up both go through here, so a warm-up
// runs exactly the code a probe runs.
import http from 'node:http';
import { isIP } from 'node:net';
import type { Agent, ClientRequest, IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { RequestOptions } from 'node:https';
import type { ConnectionOptions, SecureContext, TLSSocket } from 'node:tls';
import { CLOSED_EARLY, describeError } from './http-errors.js';
import { loadHttps } from './lazy-tls.js';

/** When each phase of the request ended, in ms from the probe's start (curl's time_namelookup,
 * time_connect, time_appconnect, time_starttransfer); a phase that was not reached is absent. */
export interface HttpPhases {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  firstByteMs?: number;
  /** Over a keep-alive agent only: whether the request went on a connection an earlier one left open. */
  reused?: boolean;
  /** Set by the client when a reused connection was reset before any answer and the request was sent again. */
  retried?: boolean;
}

/** Who answered: the peer's IP address and, over TLS, when its certificate expires (epoch ms). */
export interface Peer {
  ip?: string;
  certValidToMs?: number;
}

/** The peer of a connected socket: its address and, for a TLS socket, its certificate's expiry. */
export function peerOf(socket: Socket | null | undefined): Peer {
  const peer: Peer = socket?.remoteAddress ? { ip: socket.remoteAddress } : {};
  const cert = socket && 'getPeerCertificate' in socket ? (socket as TLSSocket).getPeerCertificate() : null;
  const validTo = cert?.valid_to ? Date.parse(cert.valid_to) : Number.NaN;
  return Number.isFinite(validTo) ? { ...peer, certValidToMs: validTo } : peer;
}

/** What a request watches to stop: an AbortSignal, or the client's own deadline (a PlainAbort: effects/plain-abort.ts). */
export interface AbortLine {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** One request to send. */
export interface HopRequest {
  target: URL;
  headers: OutgoingHttpHeaders;
  maxBodyBytes: number;
  /** The TLS settings (trusted roots) of an https target, made before the clock started. */
  secureContext?: SecureContext;
  signal: AbortLine;
  /** Why `signal` aborted, for the detail. */
  abortDetail(): string;
  /** The probe's start on the monotonic clock (performance.now()); phases count from it. */
  startMs: number;
  /** A keep-alive agent whose pool the request may use; absent = a new connection, closed after. */
  agent?: Agent;
}

/** What one request gave: a response with its whole body, a redirect, or a failure. */
export type Hop =
  | ({ kind: 'response'; status: number; body: Buffer; phases: HttpPhases } & Peer)
  | { kind: 'redirect'; location: string }
  /** A reused keep-alive connection closed or reset before any byte of an answer: the server had dropped it. */
  | { kind: 'stale' }
  | { kind: 'error'; detail: string; phases: HttpPhases };

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Sends one GET and reads its body (at most maxBodyBytes); always resolves. */
export function getOnce(req: HopRequest): Promise<Hop> {
  return new Promise((resolve) => {
    let settled = false;
    let responded = false;
    let request: ClientRequest | undefined;
    const phases: HttpPhases = {};
    const settle = (hop: Hop): void => {
      if (settled) return;
      settled = true;
      req.signal.removeEventListener('abort', onAbort);
      request?.destroy();
      resolve(hop);
    };
    const failed = (detail: string): void => settle({ kind: 'error', detail, phases });
    const onAbort = (): void => failed(req.abortDetail());
    if (req.signal.aborted) return onAbort();
    req.signal.addEventListener('abort', onAbort, { once: true });
    try {
      request = send(req, (res) => {
        responded = true;
        readResponse(res, req.maxBodyBytes, phases, settle);
      });
    } catch (err) {
      return failed(describeError(err, req.target));
    }
    watchPhases(request, req, phases);
    request.on('error', (err) => {
      if (!responded && phases.firstByteMs === undefined && request?.reusedSocket && isDropped(err)) return settle({ kind: 'stale' });
      failed(responded ? CLOSED_EARLY : describeError(err, req.target));
    });
    request.end();
  });
}

// How node reports a pooled connection the server had closed: reset, a broken pipe, or closed unanswered.
function isDropped(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ECONNRESET' || code === 'EPIPE' || err.message === 'socket hang up';
}

function send(req: HopRequest, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const options = { method: 'GET', headers: req.headers, agent: req.agent ?? (false as const) };
  if (req.target.protocol === 'http:') return http.request(req.target, options, onResponse);
  // agent: false gives each request a new https.Agent, whose empty session cache means a full handshake.
  const tlsOptions: RequestOptions & ConnectionOptions = { ...options, secureContext: req.secureContext };
  return loadHttps().request(req.target, tlsOptions, onResponse);
}

// Socket events, as they happen: a name resolved ('lookup'), TCP connected, TLS handshake done, the
// response's first byte. An IP address needs no lookup: its "lookup" ends now, with the request made and
// its connection attempt queued (node makes it on the next tick, before the 'socket' event).
function watchPhases(request: ClientRequest, req: HopRequest, phases: HttpPhases): void {
  const at = (): number => performance.now() - req.startMs;
  const literal = isIP(req.target.hostname.replace(/^\[(.*)\]$/, '$1')) !== 0;
  if (literal) phases.dnsMs = at();
  request.once('socket', (socket: Socket) => {
    if (req.agent) phases.reused = request.reusedSocket;
    // A pooled connection already made fires none of these again: a listener added to it would stay (one more per request).
    if (socket.connecting) {
      if (!literal) socket.once('lookup', (err: Error | null) => void (err ? undefined : (phases.dnsMs ??= at())));
      socket.once('connect', () => void (phases.connectMs = at()));
      if (req.target.protocol === 'https:') socket.once('secureConnect', () => void (phases.tlsMs = at()));
    }
    // Before the HTTP parser's own listener, so the byte is stamped before the headers are parsed.
    socket.prependOnceListener('data', () => void (phases.firstByteMs = at()));
  });
}

function readResponse(res: IncomingMessage, maxBodyBytes: number, phases: HttpPhases, settle: (hop: Hop) => void): void {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (REDIRECT_STATUSES.has(status) && location) return settle({ kind: 'redirect', location });
  const tooLarge: Hop = { kind: 'error', detail: `body larger than ${maxBodyBytes} bytes`, phases };
  if (Number(res.headers['content-length'] ?? 0) > maxBodyBytes) return settle(tooLarge);
  const peer = peerOf(res.socket);
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBodyBytes) return settle(tooLarge);
    chunks.push(chunk);
  });
  const closed: Hop = { kind: 'error', detail: CLOSED_EARLY, phases };
  res.on('end', () => settle({ kind: 'response', status, body: Buffer.concat(chunks, size), phases, ...peer }));
  res.on('error', () => settle(closed));
  res.on('close', () => settle(closed)); // a no-op after 'end'
}
