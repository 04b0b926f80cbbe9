// The webhook provider: POSTs the record plus a one-line `text` as JSON to `alert.webhook`, retried on
// connection errors, 429 and 5xx. A detail names the target as `webhook <scheme>://<host>:<port>` only.
import type { GuardConfig } from '../config/config.js';
import type { Clock } from '../effects/clock.js';
import { targetName, type HttpPost, type PostResult } from '../effects/http-post.js';
import { alertText } from './alert-text.js';
import type { AlertDelivery, AlertProvider } from './provider.js';

/** What the webhook provider uses: the POST client and a sleep between attempts. */
export interface WebhookDeps {
  post: HttpPost;
  sleep: Clock['sleep'];
}

const DEFAULT_ATTEMPTS = 3;
const BACKOFF_MS = 200;

/** The webhook provider of a config; it carries records. */
export function webhookProvider(config: Pick<GuardConfig, 'alert'>, deps: WebhookDeps): AlertProvider {
  const { webhook: url, timeoutMs } = config.alert;
  return {
    channel: 'webhook',
    configured: () => url !== '',
    send: async (event, signal) => (event.kind === 'record' ? postWebhook(event.record, { url, timeoutMs, signal }, deps) : null),
  };
}

/** POSTs the record plus its `text`; up to `attempts` tries (default 3) with a short backoff. */
export async function postWebhook(record: object, opts: { url: string; timeoutMs: number; attempts?: number; signal?: AbortSignal }, deps: WebhookDeps): Promise<AlertDelivery> {
  const target = parseTarget(opts.url);
  if (typeof target === 'string') return { channel: 'webhook', ok: false, detail: target };
  const body = { ...record, text: alertText(record) };
  const attempts = Math.max(1, Math.floor(opts.attempts ?? DEFAULT_ATTEMPTS));
  for (let n = 1; ; n++) {
    const r = await deps.post(target.url, body, { timeoutMs: opts.timeoutMs, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (r.ok) return { channel: 'webhook', ok: true, detail: null };
    if (!retried(r) || n >= attempts) return failure(target.name, r.detail, n);
    try {
      await deps.sleep(BACKOFF_MS * 2 ** (n - 1), opts.signal);
    } catch {
      return failure(target.name, 'aborted', n);
    }
  }
}

// Tried again: a request that never arrived or broke, a server error, or "too many requests".
function retried(r: PostResult & { ok: false }): boolean {
  if (r.kind === 'connection') return true;
  return r.kind === 'status' && (r.status >= 500 || r.status === 429);
}

function failure(name: string, why: string, attempts: number): AlertDelivery {
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
  return { url, name: `webhook ${targetName(url)}` };
}
