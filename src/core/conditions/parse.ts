// Parses one Gatus-syntax condition (`[BODY].status == UP`, `[STATUS] == any(200, 204)`, `len([BODY].items) > 0`)
// into a Condition, or says what is wrong and at which character, so `validate` can point at it.
import { operandError, parseOperand } from './operand.js';
import { OPERATORS, type Condition, type ConditionError, type Operand, type Operator } from './types.js';

type Found = { op: Operator; index: number; spaced: boolean };

/** Parses a condition; the error's index is the 0-based character where it goes wrong. */
export function parseCondition(text: string): { ok: true; condition: Condition } | { ok: false; error: ConditionError } {
  const scan = scanOperators(text);
  if ('message' in scan) return { ok: false, error: scan };
  const spaced = scan.filter((f) => f.spaced);
  const [found, second] = spaced;
  if (second) return fail(`a second operator ${second.op}; a condition compares two sides once, e.g. [STATUS] == 200`, second.index);
  if (!found) {
    const unspaced = scan[0];
    if (unspaced) return fail(`put a space on each side of ${unspaced.op}, e.g. [STATUS] ${unspaced.op} 200`, unspaced.index);
    return fail('no comparison; write <placeholder> <operator> <value> with one of ==, !=, <, <=, >, >=, e.g. [STATUS] == 200', 0);
  }
  const left = side(text, 0, found.index - 1, `nothing before ${found.op}; write a placeholder such as [STATUS] there`);
  if ('message' in left) return { ok: false, error: left };
  const right = side(text, found.index + found.op.length + 1, text.length, `nothing after ${found.op}; write the value to compare with`);
  if ('message' in right) return { ok: false, error: right };
  const problem = operandError(left, found.op, right);
  if (problem) return { ok: false, error: problem };
  return { ok: true, condition: { text, left: left.operand, op: found.op, right: right.operand } };
}

// Every operator outside brackets and parentheses, and whether it has a space on each side.
function scanOperators(text: string): Found[] | ConditionError {
  const open: { char: string; index: number }[] = [];
  const found: Found[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const inParens = open.some((o) => o.char === '(');
    // Inside a function's parentheses only parentheses nest: a pattern may hold [ or \( on its own.
    if (inParens && c === '\\') i++;
    else if (inParens && (c === '[' || c === ']')) continue;
    else if (c === '(' || c === '[') open.push({ char: c, index: i });
    else if (c === ')' || c === ']') {
      if (open.at(-1)?.char !== (c === ')' ? '(' : '[')) return { message: `unmatched ${c}`, index: i };
      open.pop();
    } else if (open.length === 0) {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op === undefined) continue;
      found.push({ op, index: i, spaced: text[i - 1] === ' ' && text[i + op.length] === ' ' });
      i += op.length - 1;
    }
  }
  const unclosed = open.at(-1);
  if (unclosed) return { message: `unclosed ${unclosed.char}; close it with ${unclosed.char === '(' ? ')' : ']'}`, index: unclosed.index };
  return found;
}

// One side of the operator, trimmed, parsed as an operand; `at` is where its text starts.
function side(text: string, from: number, to: number, emptyMessage: string): { operand: Operand; at: number } | ConditionError {
  const raw = text.slice(from, to);
  const lead = raw.length - raw.trimStart().length;
  const trimmed = raw.trim();
  if (trimmed === '') return { message: emptyMessage, index: Math.min(from, Math.max(0, text.length - 1)) };
  const parsed = parseOperand(trimmed, from + lead);
  return 'message' in parsed ? parsed : { operand: parsed, at: from + lead };
}

function fail(message: string, index: number): { ok: false; error: ConditionError } {
  return { ok: false, error: { message, index } };
}
