// The tcp:// and tls:// probe: connect within the timeout, optionally send a text and read the reply
// until it holds the expected text, then judge the conditions (the seed's default: connected).
import { judgeOutcome } from '../core/conditions/judge.js';
import { probeKindOf } from '../core/conditions/probe-kind.js';
import { printable } from '../core/conditions/text.js';
import type { Condition, ProbeKind } from '../core/conditions/types.js';
import type { Clock } from '../effects/clock.js';
import type { TcpConnect, TcpResult } from '../effects/tcp-client.js';
import type { ProbeResult } from './health.js';

/** Where to connect and what counts as healthy. */
export interface TcpProbeOptions {
  url: string;
  timeoutMs: number;
  send: string;
  expect: string;
  conditions: readonly Condition[];
  signal?: AbortSignal;
  ca?: string | Buffer;
}

/** The most a tcp / tls probe reads of a reply. */
export const MAX_REPLY_BYTES = 64 * 1024;
const SHOWN_CHARS = 60;

/** Probes once; latency runs on the monotonic clock from before connecting until the reply is read. */
export async function probeTcp(opts: TcpProbeOptions, deps: { tcp: TcpConnect; clock: Pick<Clock, 'monoMs' | 'nowMs'> }): Promise<ProbeResult> {
  const url = new URL(opts.url);
  const kind = probeKindOf(opts.url);
  const readsBody = opts.conditions.some((c) => [c.left, c.right].some((o) => o.kind === 'placeholder' && o.name === 'BODY'));
  const started = deps.clock.monoMs();
  const result = await deps.tcp({
    host: url.hostname,
    port: Number(url.port),
    tls: kind === 'tls',
    timeoutMs: opts.timeoutMs,
    send: opts.send,
    expect: opts.expect,
    read: opts.send !== '' || opts.expect !== '' || readsBody,
    maxReplyBytes: MAX_REPLY_BYTES,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
  });
  const latencyMs = deps.clock.monoMs() - started;
  const detail = result.kind === 'error' ? result.detail : replyProblem(result, opts) ?? judgeConnected(result, kind, latencyMs, opts, deps.clock.nowMs());
  return { ok: detail === null, latencyMs, httpStatus: null, detail };
}

type Connected = Extract<TcpResult, { kind: 'connected' }>;

// The reply did not come in time, or never held the expected text.
function replyProblem(r: Connected, opts: TcpProbeOptions): string | null {
  const got = r.reply.length === 0 ? 'nothing received' : `got ${printable(JSON.stringify(r.reply.toString('utf8', 0, SHOWN_CHARS * 4)), SHOWN_CHARS)}`;
  const awaited = opts.expect === '' ? 'a reply' : JSON.stringify(opts.expect);
  if (r.ended === 'timeout') return `timeout after ${opts.timeoutMs} ms waiting for ${awaited} (${got})`;
  if (opts.expect !== '' && r.ended !== 'matched') return `expected ${awaited}, ${r.ended === 'closed' ? 'the peer closed the connection' : 'the reply filled 64 KiB'} (${got})`;
  return null;
}

function judgeConnected(r: Connected, kind: ProbeKind, latencyMs: number, opts: TcpProbeOptions, nowMs: number): string | null {
  const outcome = { kind, status: null, body: r.reply, latencyMs, ip: r.ip ?? null, certValidToMs: r.certValidToMs ?? null };
  return judgeOutcome(outcome, { conditions: opts.conditions, expectStatus: '' }, nowMs);
}
