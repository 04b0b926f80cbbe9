// All network I/O for POSTs (the webhook and Alertmanager alerts): one JSON body over node:http / https, no
// keep-alive, one deadline, and one error table. Always resolves; a detail never quotes the URL: its
// userinfo, path and query may be secrets, so a target is named by scheme://host:port only.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { describeTlsError } from './http-errors.js';
import { loadHttps } from './lazy-tls.js';

/** Why a POST failed: `connection` (refused, reset, unreachable: it never arrived or broke, so another try
 * is safe), `timeout`, `tls`, `status` (a non-2xx answer), `aborted`, or `failed` (anything else). */
export type PostFailure = 'connection' | 'timeout' | 'tls' | 'status' | 'aborted' | 'failed';

/** What a POST gave: a 2xx status, or a failure with a one-line detail; a non-2xx status (`HTTP 500`) comes
 * with the start of its reply on one line, as received (a caller that shows it escapes it first). */
export type PostResult =
  | { ok: true; status: number }
  | { ok: false; kind: 'status'; detail: string; status: number; reply: string }
  | { ok: false; kind: Exclude<PostFailure, 'status'>; detail: string };

/** One POST of `body` as JSON; resolves by `timeoutMs` (the reply's body included) or when `signal` aborts. */
export type HttpPost = (url: URL, body: unknown, opts: { timeoutMs: number; signal?: AbortSignal }) => Promise<PostResult>;

const MAX_REPLY_CHARS = 200;
// Errors where the request never reached the server, or the connection broke.
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
};

/** The host:port of a URL, the scheme's default port when it names none (`[::1]:443`). */
export function hostPort(url: URL): string {
  return `${url.hostname}:${url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80'}`;
}

/** The target as it may be shown: scheme://host:port. */
export function targetName(url: URL): string {
  return `${url.protocol}//${hostPort(url)}`;
}

/** The real HttpPost: a fresh connection per request, closed after it (nothing lingers between alerts). */
export function nodeHttpPost(): HttpPost {
  return (url, body, opts) => postOnce(url, JSON.stringify(body), opts);
}

function postOnce(url: URL, text: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<PostResult> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? loadHttps().request : httpRequest;
    let settled = false;
    const settle = (r: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(r);
    };
    const req = send(url, {
      method: 'POST',
      agent: false,
      ...(opts.signal ? { signal: opts.signal } : {}),
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'user-agent': 'anomaly-guard' },
    });
    const timer = setTimeout(() => settle({ ok: false, kind: 'timeout', detail: `timeout after ${opts.timeoutMs} ms` }), Math.max(0, opts.timeoutMs));
    req.on('response', (res) => readReply(res, settle));
    req.on('error', (e) => settle(errorResult(e, url, opts.signal)));
    req.end(text);
  });
}

// A 2xx needs no body; a refusal comes with the start of its reply (none when the reply broke off).
function readReply(res: IncomingMessage, settle: (r: PostResult) => void): void {
  const status = res.statusCode ?? 0;
  if (status >= 200 && status < 300) {
    res.resume();
    settle({ ok: true, status });
    return;
  }
  let reply = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    if (reply.length < 300) reply += chunk;
  });
  const refused = (text: string): void => settle({ ok: false, kind: 'status', status, detail: `HTTP ${status}`, reply: text.replace(/\s+/g, ' ').trim().slice(0, MAX_REPLY_CHARS) });
  res.on('end', () => refused(reply));
  res.on('error', () => refused(''));
}

// Only the error code is used (and OpenSSL's reason for TLS): a message may quote the request.
function errorResult(e: Error, url: URL, signal?: AbortSignal): PostResult {
  if (signal?.aborted || e.name === 'AbortError') return { ok: false, kind: 'aborted', detail: 'aborted' };
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const connection = CONNECTION_ERRORS[code];
  if (connection !== undefined) return { ok: false, kind: 'connection', detail: connection };
  const tls = describeTlsError(code, e.message, url);
  if (tls !== null) return { ok: false, kind: 'tls', detail: tls };
  if (code === 'ENOTFOUND') return { ok: false, kind: 'failed', detail: 'host not found' };
  return { ok: false, kind: 'failed', detail: code !== '' ? code : 'request failed' };
}
