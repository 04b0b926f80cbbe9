// The JSON path after [BODY]: `.key` and `[index]` steps, parsed from a condition and walked over a
// parsed body one step at a time (the walk is as long as the path, whatever the body's depth).
import type { ConditionError, PathStep } from './types.js';

/** Parses `.a.b[0].c` (text after `[BODY]`); `offset` is where it starts in the condition, for errors. */
export function parsePath(text: string, offset: number): { ok: true; steps: PathStep[] } | { ok: false; error: ConditionError } {
  const steps: PathStep[] = [];
  let i = 0;
  while (i < text.length) {
    const step = text[i] === '.' ? keyStep(text, i) : text[i] === '[' ? indexStep(text, i) : null;
    if (step === null) return fail(`unexpected ${JSON.stringify(text[i])} after the path; write [BODY].key, [BODY].list[0] or [BODY][0]`, offset + i);
    if ('error' in step) return fail(step.error, offset + step.at);
    steps.push(step.step);
    i = step.next;
  }
  return { ok: true, steps };
}

type Parsed = { step: PathStep; next: number } | { error: string; at: number };

function keyStep(text: string, at: number): Parsed {
  let end = at + 1;
  while (end < text.length && text[end] !== '.' && text[end] !== '[') end++;
  const key = text.slice(at + 1, end);
  if (key === '') return { error: 'empty key in the JSON path; write [BODY].key.subkey', at: at + 1 };
  const bad = key.search(/[\]\s]/);
  if (bad >= 0) return { error: `${JSON.stringify(key[bad])} in the key ${JSON.stringify(key)}; JSON path keys hold no spaces or brackets`, at: at + 1 + bad };
  return { step: { key }, next: end };
}

function indexStep(text: string, at: number): Parsed {
  const close = text.indexOf(']', at);
  if (close < 0) return { error: 'unclosed [ in the JSON path; write an index like [0]', at };
  const digits = text.slice(at + 1, close);
  if (!/^\d{1,9}$/.test(digits)) return { error: `${JSON.stringify(digits)} is not an index; write a whole number like [0]`, at: at + 1 };
  return { step: { index: Number(digits) }, next: close + 1 };
}

function fail(message: string, index: number): { ok: false; error: ConditionError } {
  return { ok: false, error: { message, index } };
}

/** The value at `steps` in a parsed JSON document, or `undefined` when there is none. */
export function walkPath(doc: unknown, steps: readonly PathStep[]): unknown {
  let at: unknown = doc;
  for (const step of steps) {
    if ('index' in step) {
      if (!Array.isArray(at) || step.index >= at.length) return undefined;
      at = at[step.index];
    } else {
      if (typeof at !== 'object' || at === null || Array.isArray(at) || !Object.hasOwn(at, step.key)) return undefined;
      at = (at as Record<string, unknown>)[step.key];
    }
  }
  return at;
}
