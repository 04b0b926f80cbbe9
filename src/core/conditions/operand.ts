// One side of a condition: a placeholder (`[BODY].a[0]`, optionally in len() or has()), any(…), pat(…) or a
// literal; and the checks that need both sides (a comparison that could never hold is refused at load).
import { parseGlob } from './glob.js';
import { parsePath } from './json-path.js';
import { numberOf } from './numbers.js';
import { PLACEHOLDERS, type ConditionError, type Operand, type Operator, type PlaceholderName } from './types.js';

const FUNCTION = /^(len|has|any|pat)\(/i;
const GATUS_ONLY = new Set(['DNS_RCODE', 'DOMAIN_EXPIRATION', 'CONTEXT']);
const ACCEPTED = PLACEHOLDERS.map((p) => `[${p}]`).join(', ');
const NOT_NUMBERS = new Set<PlaceholderName>(['CONNECTED', 'IP']);

/** Parses a trimmed operand that starts at character `at` of its condition. */
export function parseOperand(text: string, at: number): Operand | ConditionError {
  const fn = FUNCTION.exec(text)?.[1]?.toLowerCase();
  if (fn !== undefined && text.endsWith(')')) return parseFunction(fn, text, at);
  if (text.startsWith('[')) return parsePlaceholder(text, at, null);
  if (/^(".*"|'.*')$/s.test(text)) {
    return { message: `quotes are compared as part of the value in Gatus syntax; write ${text.slice(1, -1) || 'the value'} without them`, index: at };
  }
  return { kind: 'literal', text };
}

function parseFunction(fn: string, text: string, at: number): Operand | ConditionError {
  const inner = text.slice(4, -1);
  const innerAt = at + 4;
  if (fn === 'pat') {
    const glob = parseGlob(inner);
    return glob.ok ? { kind: 'pat', glob: glob.tokens, text } : { message: glob.message, index: innerAt + glob.index };
  }
  if (fn === 'any') {
    const parts = inner.split(',');
    const options = parts.map((o) => o.trim());
    const empty = options.findIndex((o) => o === '');
    const emptyAt = innerAt + parts.slice(0, empty).reduce((n, part) => n + part.length + 1, 0);
    if (empty >= 0) return { message: 'an empty choice in any(); write any(200, 204)', index: emptyAt };
    return { kind: 'any', options, text };
  }
  const lead = inner.length - inner.trimStart().length;
  if (!inner.trim().startsWith('[')) return { message: `${fn}() takes a placeholder, e.g. ${fn}([BODY].items)`, index: innerAt + lead };
  const placeholder = parsePlaceholder(inner.trim(), innerAt + lead, fn as 'len' | 'has');
  return 'message' in placeholder ? placeholder : { ...placeholder, text };
}

function parsePlaceholder(text: string, at: number, fn: 'len' | 'has' | null): Operand | ConditionError {
  const m = /^\[([A-Za-z_]*)\]/.exec(text);
  if (!m) return { message: `not a placeholder; use one of ${ACCEPTED}`, index: at };
  const name = (m[1] as string).toUpperCase();
  if (GATUS_ONLY.has(name)) return { message: `[${name}] is not supported here (anomaly-guard probes http, tcp and tls); use one of ${ACCEPTED}`, index: at };
  if (!(PLACEHOLDERS as readonly string[]).includes(name)) return { message: `unknown placeholder [${m[1]}]; use one of ${ACCEPTED}`, index: at };
  const rest = text.slice(m[0].length);
  if (rest === '') return { kind: 'placeholder', name: name as PlaceholderName, path: null, fn, text };
  if (name !== 'BODY') return { message: `[${name}] takes no path; only [BODY] does, e.g. [BODY].status`, index: at + m[0].length };
  const path = parsePath(rest, at + m[0].length);
  return path.ok ? { kind: 'placeholder', name: 'BODY', path: path.steps, fn, text } : path.error;
}

type Side = { operand: Operand; at: number };

/** What makes a parsed `left op right` meaningless, at the side that is wrong; null when it is fine. */
export function operandError(left: Side, op: Operator, right: Side): ConditionError | null {
  const sides = [left, right];
  if (!sides.some((s) => s.operand.kind === 'placeholder')) {
    return { message: `neither side is a placeholder, so this compares two fixed texts; put one of ${ACCEPTED} on one side`, index: left.at };
  }
  for (const s of sides) {
    const problem = sideError(s.operand, op);
    if (problem) return { message: problem, index: s.at };
  }
  const other = (s: Side): Operand => (s === left ? right.operand : left.operand);
  for (const s of sides) {
    const o = other(s).kind === 'placeholder' ? (other(s) as Extract<Operand, { kind: 'placeholder' }>) : null;
    const yesNo = o !== null && (o.fn === 'has' || (o.name === 'CONNECTED' && o.fn === null));
    if (yesNo && s.operand.kind === 'literal' && s.operand.text !== 'true' && s.operand.text !== 'false') {
      return { message: `${o.text} is true or false; compare it with true or false`, index: s.at };
    }
  }
  return null;
}

function sideError(o: Operand, op: Operator): string | null {
  const ordering = op !== '==' && op !== '!=';
  if ((o.kind === 'pat' || o.kind === 'any') && ordering) return `${o.kind}() works only with == and !=`;
  if (!ordering) return null;
  if (o.kind === 'literal' && numberOf(o.text) === null) return `${JSON.stringify(o.text)} is not a number or a duration (e.g. 500, 2.5, 48h); ${op} compares numbers`;
  if (o.kind === 'placeholder' && o.fn === 'has') return `has() is true or false; compare it with == or !=`;
  if (o.kind === 'placeholder' && o.fn === null && NOT_NUMBERS.has(o.name)) return `[${o.name}] is not a number; compare it with == or !=`;
  return null;
}
