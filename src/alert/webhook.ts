// Delivers a record to `alert.webhook`: an HTTP POST of JSON, retried on connection errors and 5xx.
// Details name the target as `webhook <scheme>://<host>:<port>` only: the userinfo, path and query may be secrets.
import { request as httpRequest } from 'node:http';
import { loadHttps } from '../effects/lazy-tls.js';
import type { Clock } from '../effects/clock.js';
import { alertText, type AlertResult } from './alert-command.js';

type Attempt = { ok: true } | { ok: false; why: string; retry: boolean };

const DEFAULT_ATTEMPTS = 3;
const BACKOFF_MS = 200;
// Errors where the request never reached the server, or the connection broke: trying again is safe.
const CONNECTION_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ETIMEDOUT: 'connection timed out',
};

/** POSTs the record plus a one-line `text` as JSON; up to `attempts` tries (default 3) with a short backoff. */
export async function postWebhook(
  record: object,
  opts: { url: string; timeoutMs: number; attempts?: number; signal?: AbortSignal },
  deps: { sleep: Clock['sleep'] },
): Promise<AlertResult> {
  const target = parseTarget(opts.url);
  if (typeof target === 'string') return { channel: 'webhook', ok: false, detail: target };
  const body = JSON.stringify({ ...record, text: alertText(record) });
  const attempts = Math.max(1, Math.floor(opts.attempts ?? DEFAULT_ATTEMPTS));
  for (let n = 1; ; n++) {
    const attempt = await postOnce(target.url, body, opts.timeoutMs, opts.signal);
    if (attempt.ok) return { channel: 'webhook', ok: true, detail: null };
    if (!attempt.retry || n >= attempts) return failure(target.name, attempt.why, n);
    try {
      await deps.sleep(BACKOFF_MS * 2 ** (n - 1), opts.signal);
    } catch {
      return failure(target.name, 'aborted', n);
    }
  }
}

function failure(name: string, why: string, attempts: number): AlertResult {
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  return { channel: 'webhook', ok: false, detail: `${name}: ${why}${tries}` };
}

function parseTarget(raw: string): { url: URL; name: string } | string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'webhook: invalid URL (expected http://host[:port]/path or https://…)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `webhook: unsupported scheme ${url.protocol.slice(0, -1)} (expected http or https)`;
  }
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return { url, name: `webhook ${url.protocol}//${url.hostname}:${port}` };
}

function postOnce(url: URL, body: string, timeoutMs: number, signal?: AbortSignal): Promise<Attempt> {
  return new Promise((resolve) => {
    const send = url.protocol === 'https:' ? loadHttps().request : httpRequest;
    const req = send(url, {
      method: 'POST',
      agent: false, // one connection per delivery, closed after: nothing lingers between alerts
      signal,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'anomaly-guard' },
    });
    const settle = (attempt: Attempt): void => {
      clearTimeout(timer);
      resolve(attempt);
    };
    const timer = setTimeout(() => {
      settle({ ok: false, why: `timeout after ${timeoutMs} ms`, retry: false });
      req.destroy();
    }, Math.max(0, timeoutMs));
    req.on('response', (res) => {
      res.resume(); // the reply's body is not needed
      settle(statusAttempt(res.statusCode ?? 0));
    });
    req.on('error', (e) => settle(errorAttempt(e, signal)));
    req.end(body);
  });
}

function statusAttempt(status: number): Attempt {
  if (status >= 200 && status < 300) return { ok: true };
  return { ok: false, why: `HTTP ${status}`, retry: status >= 500 || status === 429 };
}

// Only the error code is used: messages may quote the request.
function errorAttempt(e: Error, signal?: AbortSignal): Attempt {
  if (signal?.aborted || e.name === 'AbortError') return { ok: false, why: 'aborted', retry: false };
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const known = CONNECTION_ERRORS[code];
  if (known !== undefined) return { ok: false, why: known, retry: true };
  if (code === 'ENOTFOUND') return { ok: false, why: 'host not found', retry: false };
  return { ok: false, why: code !== '' ? code : 'request failed', retry: false };
}
