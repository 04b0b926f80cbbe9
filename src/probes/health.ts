// The health probe: one GET of the health URL, judged as the contract says (every health.conditions
// holds; by default 2xx, JSON, status == expect_status).
import { judgeOutcome } from '../core/conditions/judge.js';
import type { Condition } from '../core/conditions/types.js';
import type { Clock } from '../effects/clock.js';
import type { HttpGet } from '../effects/http-client.js';

/** What to probe and what counts as healthy. */
export interface HealthProbeOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  expectStatus: string;
  /** Gatus-syntax conditions; none = the seed's rule with expectStatus. */
  conditions?: readonly Condition[];
  signal?: AbortSignal;
  ca?: string | Buffer;
}

/** One probe's outcome; `detail` says why it failed (null when ok), `latencyMs` is unrounded. */
export interface ProbeResult {
  ok: boolean;
  latencyMs: number;
  httpStatus: number | null;
  detail: string | null;
}

/** The largest health body read; a bigger one fails the probe. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Probes once; latency runs on the monotonic clock until the body is read or the failure happens. */
export async function probeHealth(
  opts: HealthProbeOptions,
  deps: { http: HttpGet; clock: Pick<Clock, 'monoMs' | 'nowMs'> },
): Promise<ProbeResult> {
  const started = deps.clock.monoMs();
  const result = await deps.http({
    url: opts.url,
    headers: opts.headers,
    timeoutMs: opts.timeoutMs,
    maxBodyBytes: MAX_BODY_BYTES,
    signal: opts.signal,
    ca: opts.ca,
  });
  const latencyMs = deps.clock.monoMs() - started;
  if (result.kind === 'error') return { ok: false, latencyMs, httpStatus: null, detail: result.detail };
  const outcome = { kind: 'http' as const, status: result.status, body: result.body, latencyMs, ip: result.ip ?? null, certValidToMs: result.certValidToMs ?? null };
  const detail = judgeOutcome(outcome, { conditions: opts.conditions ?? [], expectStatus: opts.expectStatus }, deps.clock.nowMs());
  return { ok: detail === null, latencyMs, httpStatus: result.status, detail };
}
