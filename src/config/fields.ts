// Field validators for the config schema: each turns a raw YAML/JSON value into a typed one or adds
// one issue saying what was wrong and what would be accepted.
import * as v from 'valibot';
import { parseDuration } from './duration.js';

type Check<T> = (value: unknown) => { ok: true; value: T } | { ok: false; message: string };

/** Renders a bad value for a message: strings quoted, long values cut. */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Wraps a check as a valibot schema that reports its message at the field's path. */
export function field<T>(check: Check<T>) {
  return v.pipe(
    v.unknown(),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const result = check(dataset.value);
      if (result.ok) return result.value;
      addIssue({ message: result.message });
      return NEVER;
    }),
  );
}

/** A duration in milliseconds, at least `minMs`. */
export function duration(minMs: number) {
  return field<number>((value) => {
    const ms = parseDuration(value);
    const negative = typeof value === 'string' && value.trim().startsWith('-') && parseDuration(value.trim().slice(1)) !== null;
    if (negative || (ms !== null && ms < 0)) return { ok: false, message: `${show(value)} is negative; use a duration of at least ${minMs === 0 ? '0s' : `${minMs}ms`}` };
    if (ms === null) return { ok: false, message: `${show(value)} is not a duration; use a number of seconds or a string like "250ms", "10s", "5m", "1h"` };
    if (ms < minMs) return { ok: false, message: `${show(value)} is too short; use at least ${minMs === 1 ? 'a positive duration, e.g. "1s"' : `${minMs}ms`}` };
    return { ok: true, value: ms };
  });
}

/** A finite number within [min, max] (`exclusiveMin` makes the lower bound strict); `integer` demands a whole number. */
export function number(opts: { min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean }) {
  const { min, max, exclusiveMin = false, integer = false } = opts;
  const what = integer ? 'a whole number' : 'a number';
  const range = [min !== undefined ? (exclusiveMin ? `greater than ${min}` : `at least ${min}`) : '', max !== undefined ? `at most ${max}` : '']
    .filter(Boolean)
    .join(' and ');
  const accepted = `use ${what}${range ? ` ${range}` : ''}`;
  return field<number>((value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return { ok: false, message: `${show(value)} is not a number; ${accepted}` };
    if (integer && !Number.isInteger(value)) return { ok: false, message: `${show(value)} is not a whole number; ${accepted}` };
    const tooLow = min !== undefined && (exclusiveMin ? value <= min : value < min);
    if (tooLow || (max !== undefined && value > max)) return { ok: false, message: `${show(value)} is out of range; ${accepted}` };
    return { ok: true, value };
  });
}

/** A string; `nonEmpty` refuses "". */
export function string(opts: { nonEmpty?: boolean; hint?: string } = {}) {
  return field<string>((value) => {
    if (typeof value !== 'string') return { ok: false, message: `${show(value)} is not a string; ${opts.hint ?? 'use a quoted string'}` };
    if (opts.nonEmpty && value.trim() === '') return { ok: false, message: `is empty; ${opts.hint ?? 'give a value'}` };
    return { ok: true, value };
  });
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(choices: readonly T[]) {
  return field<T>((value) =>
    typeof value === 'string' && (choices as readonly string[]).includes(value)
      ? { ok: true, value: value as T }
      : { ok: false, message: `${show(value)} is not accepted; use one of ${choices.join(', ')}` },
  );
}

/** An argv list (run without a shell); a string with spaces is refused with the list it should have been. */
export function argv() {
  return field<string[]>((value) => {
    if (typeof value === 'string') {
      const words = value.trim().split(/\s+/).filter(Boolean);
      const suggestion = `[${words.map((w) => (/^[\w./-]+$/.test(w) ? w : JSON.stringify(w))).join(', ')}]`;
      return { ok: false, message: `${show(value)} is a string; give the command as a list of arguments (run without a shell), e.g. ${suggestion}` };
    }
    if (!Array.isArray(value)) return { ok: false, message: `${show(value)} is not a list; give the command as a list of arguments, e.g. [python3, scripts/self_heal.py]` };
    const bad = value.findIndex((w) => typeof w !== 'string' || w === '');
    if (bad >= 0) return { ok: false, message: `item ${bad} (${show(value[bad])}) is not a non-empty string; every argument must be a string` };
    return { ok: true, value: value as string[] };
  });
}

/** A map of header name to string value. */
export function headers() {
  return field<Record<string, string>>((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: `is not a mapping; use e.g. {Authorization: "Bearer <token>"}` };
    for (const [name, val] of Object.entries(value)) {
      if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) return { ok: false, message: `${show(name)} is not a valid header name; use letters, digits and dashes` };
      if (typeof val !== 'string') return { ok: false, message: `header ${show(name)} must have a string value (the value is not shown: it may be a secret)` };
      if (/[\r\n]/.test(val)) return { ok: false, message: `header ${show(name)} value contains a line break; remove it` };
    }
    return { ok: true, value: value as Record<string, string> };
  });
}

/** An http(s) URL; `allowEmpty` accepts "" (= off). Credentials in the URL are never echoed. */
export function url(opts: { allowEmpty?: boolean } = {}) {
  return field<string>((value) => {
    if (opts.allowEmpty && value === '') return { ok: true, value: '' };
    const accepted = `use an http:// or https:// URL${opts.allowEmpty ? ', or "" for none' : ''}`;
    if (typeof value !== 'string') return { ok: false, message: `${show(value)} is not a string; ${accepted}` };
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return { ok: false, message: `${show(redactUrlText(value))} is not a valid URL; ${accepted}` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, message: `scheme ${show(parsed.protocol)} is not supported; ${accepted}` };
    return { ok: true, value };
  });
}

/** Hides userinfo in a URL-like text so a password never lands in a message. */
export function redactUrlText(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
