// Evaluates a parsed condition against a probe outcome and renders it as Gatus does, each placeholder
// followed by its actual value: `[BODY].components.db.status (DOWN) == UP`, `[RESPONSE_TIME] (212) < 50`.
import { matchGlob } from './glob.js';
import { isDecimal, numberOf } from './numbers.js';
import { resolvePlaceholder, type EvalContext, type Resolved } from './resolve.js';
import { printable } from './text.js';
import type { Condition, Operand } from './types.js';

/** Whether the condition holds, and the condition with its actual values for a reason. */
export interface Evaluated {
  ok: boolean;
  shown: string;
}

const SHOWN_CHARS = 60;
const MAX_BODY_CHARS = 1024 * 1024;

/** Evaluates one condition; a placeholder without a value (a missing field) fails it, whatever the operator. */
export function evaluateCondition(c: Condition, ctx: EvalContext): Evaluated {
  const left = resolveOperand(c.left, ctx, textNeeded(c.right));
  const right = resolveOperand(c.right, ctx, textNeeded(c.left));
  const shown = `${show(c.left, left)} ${c.op} ${show(c.right, right)}`;
  if ((left && 'missing' in left) || (right && 'missing' in right)) return { ok: false, shown };
  return { ok: compare(c, left, right), shown };
}

// A placeholder's value; null for any(), pat() and literals (their text is their value).
function resolveOperand(o: Operand, ctx: EvalContext, maxChars: number): Resolved | null {
  return o.kind === 'placeholder' ? resolvePlaceholder(o, ctx, maxChars) : null;
}

// How much of a JSON object's or list's text a comparison with `other` can need: a pattern or another
// placeholder the whole (up to the 1 MiB body), a fixed value one character more than itself.
function textNeeded(other: Operand): number {
  const shown = SHOWN_CHARS * 4;
  if (other.kind === 'literal') return Math.max(shown, other.text.length + 1);
  if (other.kind === 'any') return Math.max(shown, ...other.options.map((o) => o.length + 1));
  return MAX_BODY_CHARS;
}

type Value = Exclude<Resolved, { missing: string }>;

function compare(c: Condition, l: Value | null, r: Value | null): boolean {
  if (c.op === '==' || c.op === '!=') return equal(c.left, l, c.right, r) === (c.op === '==');
  const a = l?.num ?? (c.left.kind === 'literal' ? numberOf(c.left.text) : null);
  const b = r?.num ?? (c.right.kind === 'literal' ? numberOf(c.right.text) : null);
  if (a === null || b === null) return false;
  if (c.op === '<') return a < b;
  if (c.op === '<=') return a <= b;
  if (c.op === '>') return a > b;
  return a >= b;
}

function equal(lo: Operand, l: Value | null, ro: Operand, r: Value | null): boolean {
  // The placeholder side (the parser makes sure there is one) against the other side's pattern or value.
  const [value, other] = l !== null ? [l, ro] : [r as Value, lo];
  const otherValue = l !== null && r !== null ? r : null;
  if (other.kind === 'pat') return matchGlob(other.glob, value.text);
  if (other.kind === 'any') return other.options.some((option) => sameText(value.text, option));
  return sameText(value.text, otherValue?.text ?? other.text);
}

// Equal as numbers when both are decimal numbers (200 == 200.0), else as exact text.
function sameText(a: string, b: string): boolean {
  if (isDecimal(a) && isDecimal(b)) return Number(a) === Number(b);
  return a === b;
}

function show(o: Operand, v: Resolved | null): string {
  if (v === null) return o.text;
  return `${o.text} (${'missing' in v ? v.missing : oneLine(v.shown)})`;
}

// Line breaks and runs of spaces (a multi-line body) become one space before the value is cut.
function oneLine(text: string): string {
  return printable(text.slice(0, SHOWN_CHARS * 4).replace(/\s+/g, ' '), SHOWN_CHARS);
}
