// The health probe: one GET of the health URL, judged as the contract says (every health.conditions
// holds; by default 2xx, JSON, status == expect_status).
import { judgeOutcome } from '../core/conditions/judge.js';
import type { Condition } from '../core/conditions/types.js';
import type { Clock } from '../effects/clock.js';
import type { HttpGet, HttpPhases } from '../effects/http-client.js';

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
  /** The request's own time, to the end of the body or the failure (what curl's time_total reports). */
  latencyMs: number;
  /** When each phase of the request ended, from its start (those reached); absent from fakes. */
  phases?: HttpPhases;
  httpStatus: number | null;
  detail: string | null;
  /** How long the probe waited for a slot (the daemon's max_concurrent_probes) before its clock started; absent = none. */
  queuedMs?: number;
}

/** The largest health body read; a bigger one fails the probe. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Probes once; the latency is the client's timing of the request (monotonic, from after its warm-up
 * until the body is read or the failure happens); the wall clock dates a certificate's expiry. */
export async function probeHealth(opts: HealthProbeOptions, deps: { http: HttpGet; clock: Pick<Clock, 'nowMs'> }): Promise<ProbeResult> {
  const result = await deps.http({
    url: opts.url,
    headers: opts.headers,
    timeoutMs: opts.timeoutMs,
    maxBodyBytes: MAX_BODY_BYTES,
    signal: opts.signal,
    ca: opts.ca,
  });
  const { totalMs: latencyMs, ...phases } = result.timing;
  if (result.kind === 'error') return { ok: false, latencyMs, phases, httpStatus: null, detail: result.detail };
  const outcome = { kind: 'http' as const, status: result.status, body: result.body, latencyMs, ip: result.ip ?? null, certValidToMs: result.certValidToMs ?? null };
  const detail = judgeOutcome(outcome, { conditions: opts.conditions ?? [], expectStatus: opts.expectStatus }, deps.clock.nowMs());
  return { ok: detail === null, latencyMs, phases, httpStatus: result.status, detail };
}
