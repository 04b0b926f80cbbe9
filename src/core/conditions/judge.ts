// Judges a completed probe: the configured conditions (all must hold), or without any the seed's rule
// (an HTTP 2xx whose JSON body's `status` equals expect_status; a tcp / tls connection that was made).
// Returns null when healthy, else the detail of `health_unhealthy (<detail>)`.
import { evaluateCondition } from './evaluate.js';
import { bodyExcerpt } from './excerpt.js';
import { jsonText, printable } from './text.js';
import type { Condition, ProbeOutcome } from './types.js';

/** What healthy means for a probe: its conditions, or [] for the seed's rule with expect_status. */
export interface JudgeSpec {
  conditions: readonly Condition[];
  expectStatus: string;
}

const MAX_VALUE_CHARS = 60;
const MAX_JSON_CHARS = 40;

/** Null when the outcome is healthy, else every failed condition with its actual value, joined by "; ". */
export function judgeOutcome(outcome: ProbeOutcome, spec: JudgeSpec, nowMs: number): string | null {
  if (spec.conditions.length === 0) return outcome.kind === 'http' ? seedRule(outcome.status ?? 0, outcome.body, spec.expectStatus) : null;
  const ctx = { outcome, nowMs };
  const failed = spec.conditions.map((c) => ({ c, result: evaluateCondition(c, ctx) })).filter(({ result }) => !result.ok);
  if (failed.length === 0) return null;
  // What an error response says about itself, unless a failed condition already shows the whole body.
  const bodyShown = failed.some(({ c }) => [c.left, c.right].some((o) => o.kind === 'placeholder' && o.name === 'BODY' && o.path === null && o.fn === null));
  const said = outcome.status !== null && !is2xx(outcome.status) && !bodyShown ? bodyExcerpt(outcome.body) : null;
  return [...failed.map(({ result }) => result.shown), ...(said === null ? [] : [`HTTP ${outcome.status}: ${said}`])].join('; ');
}

// The seed's rule, with the contract's details: `HTTP 503` (and what the body says), `status=Degraded`, ….
function seedRule(status: number, body: Buffer, expectStatus: string): string | null {
  if (!is2xx(status)) {
    const said = bodyExcerpt(body);
    return said === null ? `HTTP ${status}` : `HTTP ${status}: ${said}`;
  }
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return 'empty body (expected JSON with a status field)';
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'body is not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc) || !Object.hasOwn(doc, 'status')) return 'no status field in body';
  const value: unknown = (doc as Record<string, unknown>).status;
  if (typeof value !== 'string') return `status is not a string: ${printable(jsonText(value, MAX_JSON_CHARS * 4), MAX_JSON_CHARS)}`;
  return value === expectStatus ? null : `status=${printable(value, MAX_VALUE_CHARS)}`;
}

const is2xx = (status: number): boolean => status >= 200 && status <= 299;
