// The health probe: one GET of the health URL, judged as the contract says (2xx, JSON, status == expect_status).
import { jsonPreview } from '../core/json-preview.js';
import type { HttpGet, HttpPhases } from '../effects/http-client.js';

/** What to probe and what counts as healthy. */
export interface HealthProbeOptions {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  expectStatus: string;
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
}

/** The largest health body read; a bigger one fails the probe. */
export const MAX_BODY_BYTES = 1024 * 1024;

const MAX_VALUE_CHARS = 60;
const MAX_JSON_CHARS = 40;
// Control, format, surrogate, private-use, unassigned and line/paragraph separator characters.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu;

/** Probes once; the latency is the client's timing of the request (monotonic, from after its warm-up
 * until the body is read or the failure happens). */
export async function probeHealth(opts: HealthProbeOptions, deps: { http: HttpGet }): Promise<ProbeResult> {
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
  const detail = judgeResponse(result.status, result.body, opts.expectStatus);
  return { ok: detail === null, latencyMs, phases, httpStatus: result.status, detail };
}

// Null when healthy, else the contract's detail text.
function judgeResponse(status: number, body: Buffer, expectStatus: string): string | null {
  if (status < 200 || status > 299) return `HTTP ${status}`;
  if (body.toString('utf8').trim() === '') return 'empty body (expected JSON with a status field)';
  const parsed = parseJson(body);
  if (!parsed.ok) return 'body is not JSON';
  const doc = parsed.value;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Object.hasOwn(doc, 'status')) {
    return 'no status field in body';
  }
  const value: unknown = (doc as Record<string, unknown>).status;
  // Not JSON.stringify: a value nested thousands deep would overflow the stack.
  if (typeof value !== 'string') return `status is not a string: ${printable(jsonPreview(value, 4 * MAX_JSON_CHARS), MAX_JSON_CHARS)}`;
  return value === expectStatus ? null : `status=${printable(value, MAX_VALUE_CHARS)}`;
}

// V8's JSON.parse does not recurse: a 1 MiB body nested 500,000 deep parses (a test keeps it so).
function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8').replace(/^\uFEFF/, '')) };
  } catch {
    return { ok: false };
  }
}

// A body value made safe for a one-line log detail: unprintables become '?', cut to `max` characters.
function printable(text: string, max: number): string {
  const chars = Array.from(text.replace(UNPRINTABLE, '?'));
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
