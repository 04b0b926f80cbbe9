// One HTTP POST of a JSON body (node:http / https, no keep-alive) with a deadline. Always resolves; the
// detail names the target as scheme://host:port only, since the userinfo, path and query may be secrets.
import { request as httpRequest } from 'node:http';
import { visible } from '../core/terminal-text.js';
import { loadHttps } from '../effects/lazy-tls.js';

/** What a POST gave. */
export type PostResult = { ok: true; status: number } | { ok: false; detail: string };

/** POSTs `body` as JSON to `url`; a non-2xx answer is a failure quoting the start of its body. */
export function postJson(url: URL, body: unknown, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<PostResult> {
  const text = JSON.stringify(body);
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
    const timer = setTimeout(() => settle({ ok: false, detail: `timeout after ${opts.timeoutMs} ms` }), Math.max(0, opts.timeoutMs));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let reply = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (reply.length < 300) reply += chunk;
      });
      res.on('end', () => settle(status >= 200 && status < 300 ? { ok: true, status } : { ok: false, detail: `HTTP ${status}${replyText(reply)}` }));
      res.on('error', () => settle({ ok: false, detail: 'connection closed before the response completed' }));
    });
    req.on('error', (e: NodeJS.ErrnoException) => settle({ ok: false, detail: opts.signal?.aborted ? 'aborted' : errorText(e) }));
    req.end(text);
  });
}

/** The target as it may be shown: scheme://host:port. */
export function targetName(url: URL): string {
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  return `${url.protocol}//${url.hostname}:${port}`;
}

// The reply's start on one line, control characters as visible escapes (it reaches terminals and logs).
function replyText(reply: string): string {
  const line = visible(reply.replace(/\s+/g, ' ').trim().slice(0, 200));
  return line === '' ? '' : `: ${line}`;
}

const CODES: Record<string, string> = { ECONNREFUSED: 'connection refused', ECONNRESET: 'connection reset', ENOTFOUND: 'host not found', EHOSTUNREACH: 'host unreachable', ETIMEDOUT: 'connection timed out' };

// Only the code: a message may quote the request.
function errorText(e: NodeJS.ErrnoException): string {
  return CODES[e.code ?? ''] ?? (e.code ? e.code : 'request failed');
}
