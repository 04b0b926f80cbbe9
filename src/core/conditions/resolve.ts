// Resolves a placeholder operand against a probe outcome: its value as text (and as a number where it has
// one), or why it has none. The body is parsed once per outcome, and only when a condition reads a path
// (a hostile body nested 500,000 levels deep costs V8 about a second to parse).
import { walkPath } from './json-path.js';
import { formatSpan, numberOf } from './numbers.js';
import { valueText } from './text.js';
import type { Operand, ProbeOutcome } from './types.js';

/** A resolved value: its text, its number (null when it is not one) and how a reason shows it. */
export type Resolved = { text: string; num: number | null; shown: string } | { missing: string };

/** What conditions read from one outcome; `nowMs` dates the certificate. */
export interface EvalContext {
  outcome: ProbeOutcome;
  nowMs: number;
  /** The parsed body, filled on first use. */
  json?: { ok: true; value: unknown } | { ok: false };
}

type Placeholder = Extract<Operand, { kind: 'placeholder' }>;
type Value = Exclude<Resolved, { missing: string }>;

/** The value of a placeholder operand, with len() / has() applied; an object or list value's text is
 * cut after `maxChars` (enough to compare it with what is on the other side). */
export function resolvePlaceholder(p: Placeholder, ctx: EvalContext, maxChars: number): Resolved {
  if (p.name !== 'BODY') return applyFn(p.fn, scalar(p, ctx), (v) => charCount(v.text));
  if (p.path === null) return applyFn(p.fn, value(bodyText(ctx).trim()), () => bodyLength(ctx));
  const doc = parsedBody(ctx);
  if (!doc.ok) return applyFn(p.fn, { missing: bodyText(ctx).trim() === '' ? 'empty body' : 'body is not JSON' }, () => 0);
  const found = walkPath(doc.value, p.path);
  if (found === undefined) return applyFn(p.fn, { missing: 'no such field' }, () => 0);
  if (p.fn === 'has') return value('true');
  if (p.fn === 'len') return value(String(typeof found === 'object' && found !== null ? Object.keys(found).length : charCount(valueText(found, Infinity))));
  const text = valueText(found, maxChars);
  return { text, num: typeof found === 'number' ? found : typeof found === 'string' ? numberOf(found) : null, shown: text };
}

function applyFn(fn: Placeholder['fn'], v: Resolved, length: (v: Value) => number): Resolved {
  if (fn === 'has') return value(String(!('missing' in v) && v.text !== ''));
  if ('missing' in v) return v;
  return fn === 'len' ? value(String(length(v))) : v;
}

function scalar(p: Placeholder, ctx: EvalContext): Resolved {
  const o = ctx.outcome;
  switch (p.name) {
    case 'STATUS':
      return o.status === null ? { missing: 'no HTTP status' } : value(String(o.status));
    case 'RESPONSE_TIME':
      return value(String(Math.floor(o.latencyMs)));
    case 'CONNECTED':
      return value('true');
    case 'IP':
      return o.ip === null ? { missing: 'no address' } : value(o.ip);
    case 'CERTIFICATE_EXPIRATION': {
      if (o.certValidToMs === null) return { missing: 'no certificate' };
      const ms = Math.round(o.certValidToMs - ctx.nowMs);
      return { text: String(ms), num: ms, shown: formatSpan(ms) };
    }
    default:
      return { missing: 'not read here' };
  }
}

// len([BODY]): the items of a JSON list or object body, else its characters.
function bodyLength(ctx: EvalContext): number {
  const text = bodyText(ctx).trim();
  const doc = /^[[{]/.test(text) ? parsedBody(ctx) : { ok: false as const };
  return doc.ok && typeof doc.value === 'object' && doc.value !== null ? Object.keys(doc.value).length : charCount(text);
}

function bodyText(ctx: EvalContext): string {
  return ctx.outcome.body.toString('utf8').replace(/^\uFEFF/, '');
}

function parsedBody(ctx: EvalContext): { ok: true; value: unknown } | { ok: false } {
  if (ctx.json) return ctx.json;
  try {
    ctx.json = { ok: true, value: JSON.parse(bodyText(ctx)) };
  } catch {
    ctx.json = { ok: false };
  }
  return ctx.json;
}

function value(text: string): Value {
  return { text, num: numberOf(text), shown: text };
}

const charCount = (text: string): number => Array.from(text).length;
