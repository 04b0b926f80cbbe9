// Field validators for the config schema: each turns a raw YAML/JSON value into a typed one or adds
// issues saying what was wrong and what would be accepted (`<what is wrong>; <what is accepted>`).
import * as v from 'valibot';
import { cronProblem } from '../core/schedule.js';
import { durationUnitProblem, formatDuration, parseDuration } from './duration.js';

type Problem = { message: string; key?: string };
type Check<T> = (value: unknown) => { ok: true; value: T } | { ok: false; problems: Problem[] };

const fail = (message: string, key?: string) => ({ ok: false as const, problems: [key === undefined ? { message } : { message, key }] });

/** Renders a bad value for a message: strings quoted, long values cut. */
export function show(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Names the kind of a value without showing it (for values that may be secrets or long). */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return 'true/false';
  return `a ${typeof value}`;
}

/** Wraps a check as a valibot schema that reports its problems at the field's path (or a key below it). */
export function field<T>(check: Check<T>) {
  return v.pipe(
    v.unknown(),
    v.rawTransform<unknown, T>(({ dataset, addIssue, NEVER }) => {
      const result = check(dataset.value);
      if (result.ok) return result.value;
      for (const { message, key } of result.problems) {
        const input = dataset.value as Record<string, unknown>;
        addIssue(key === undefined ? { message } : { message, path: [{ type: 'object', origin: 'value', input, key, value: input[key] }] });
      }
      return NEVER;
    }),
  );
}

const MAX_DURATION_MS = 365 * 86_400_000;

/** A duration in milliseconds, at least `minMs` and at most a year. */
export function duration(minMs: number) {
  const accepted =
    minMs === 0 ? 'use a duration of 0s or more, e.g. "30s"' : minMs === 1 ? 'use a positive duration, e.g. "10s"' : `use at least ${formatDuration(minMs)}`;
  return field<number>((value) => {
    const ms = parseDuration(value);
    const negative = typeof value === 'string' && value.trim().startsWith('-') && parseDuration(value.trim().slice(1)) !== null;
    if (negative || (ms !== null && ms < 0)) return fail(`${show(value)} is negative; ${accepted}`);
    const units = ms === null ? durationUnitProblem(value) : null;
    if (units !== null) return fail(`${show(value)} ${units}; name each unit once, largest first, e.g. "1h30m"`);
    if (ms === null) return fail(`${show(value)} is not a duration; use a number of seconds or a string like "250ms", "10s", "5m", "1h", "1h30m"`);
    if (ms > MAX_DURATION_MS) return fail(`${show(value)} is too long; use at most 365d`);
    if (ms < minMs) return fail(`${show(value)} is ${ms === 0 ? 'not positive' : 'too short'}; ${accepted}`);
    return { ok: true, value: ms };
  });
}

function rangeText(min: number | undefined, max: number | undefined, exclusiveMin: boolean): string {
  if (min !== undefined && max !== undefined) return exclusiveMin ? ` greater than ${min} and at most ${max}` : ` from ${min} to ${max}`;
  if (min !== undefined) return exclusiveMin ? ` greater than ${min}` : ` of at least ${min}`;
  return max !== undefined ? ` of at most ${max}` : '';
}

/** A finite number within [min, max] (`exclusiveMin` makes the lower bound strict); `integer` demands a whole number. */
export function number(opts: { min?: number; max?: number; exclusiveMin?: boolean; integer?: boolean }) {
  const { min, max, exclusiveMin = false, integer = false } = opts;
  const accepted = `use ${integer ? 'a whole number' : 'a number'}${rangeText(min, max, exclusiveMin)}`;
  return field<number>((value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`${show(value)} is not a number; ${accepted}`);
    if (integer && !Number.isInteger(value)) return fail(`${show(value)} is not a whole number; ${accepted}`);
    if (min !== undefined && (exclusiveMin ? value <= min : value < min)) return fail(`${show(value)} is too small; ${accepted}`);
    if (max !== undefined && value > max) return fail(`${show(value)} is too large; ${accepted}`);
    return { ok: true, value };
  });
}

/** A string; `nonEmpty` refuses "". */
export function string(opts: { nonEmpty?: boolean; hint?: string } = {}) {
  return field<string>((value) => {
    if (typeof value !== 'string') return fail(`${show(value)} is not a string; ${opts.hint ?? 'use a quoted string'}`);
    if (opts.nonEmpty && value.trim() === '') return fail(`${show(value)} is empty; ${opts.hint ?? 'give a value'}`);
    return { ok: true, value };
  });
}

/** true or false. */
export function boolean() {
  return field<boolean>((value) =>
    typeof value === 'boolean' ? { ok: true, value } : fail(`${show(value)} is not true or false; use true or false (without quotes)`),
  );
}

/** A cron expression (5 or 6 fields) or "" for none. */
export function cron() {
  return field<string>((value) => {
    if (value === '') return { ok: true, value: '' };
    if (typeof value !== 'string') return fail(`${show(value)} is not a string; use a cron expression such as "*/5 * * * *", or "" to use interval`);
    const problem = cronProblem(value);
    return problem === null ? { ok: true, value: value.trim() } : fail(`${show(value)} is not a cron expression (${problem}); use e.g. "*/5 * * * *"`);
  });
}

/** One of a fixed set of words. */
export function oneOf<T extends string>(choices: readonly T[]) {
  return field<T>((value) =>
    typeof value === 'string' && (choices as readonly string[]).includes(value)
      ? { ok: true, value: value as T }
      : fail(`${show(value)} is not accepted; use one of ${choices.join(', ')}`),
  );
}

/** An argv list (run without a shell); a string with spaces is refused with the list it should have been. */
export function argv() {
  return field<string[]>((value) => {
    if (typeof value === 'string') {
      const words = value.trim().split(/\s+/).filter(Boolean);
      const suggestion = `[${words.map((w) => (/^[\w./-]+$/.test(w) ? w : JSON.stringify(w))).join(', ')}]`;
      return fail(`${show(value)} is a string; give the command as a list of arguments (run without a shell), e.g. ${suggestion}`);
    }
    if (!Array.isArray(value)) return fail(`${show(value)} is not a list; give the command as a list of arguments, e.g. [python3, scripts/self_heal.py]`);
    const bad = value.findIndex((w) => typeof w !== 'string' || w === '');
    if (bad < 0) return { ok: true, value: value as string[] };
    const item: unknown = value[bad];
    if (item === '') return fail(`item ${bad} is an empty string; remove it (every argument must be a non-empty string)`);
    if (typeof item === 'number' || typeof item === 'boolean') return fail(`item ${bad} (${show(item)}) is not a string; quote it: "${String(item)}"`);
    return fail(`item ${bad} is ${kindOf(item)}, not a string; write every argument as a string`);
  });
}

function headerProblems(name: string, val: unknown): string | null {
  const secret = 'not shown: it may be a secret';
  if (typeof val !== 'string') return `value is ${kindOf(val)}, not a string (${secret}); quote it, e.g. ${name}: "..."`;
  if (/[\r\n]/.test(val)) return `value contains a line break (${secret}); put the whole value on one line`;
  return null;
}

/** A map of header name to string value; a bad value is named by its header, never shown. */
export function headers() {
  return field<Record<string, string>>((value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return fail(`is ${kindOf(value)}, not a mapping; give header names and values, e.g. {Authorization: "Bearer <token>"}`);
    }
    const problems: Problem[] = [];
    for (const [name, val] of Object.entries(value)) {
      if (!/^[!#$%&'*+.^`|~\w-]+$/.test(name)) problems.push({ message: `${show(name)} is not a valid header name; use letters, digits and dashes, e.g. X-Api-Key` });
      const wrong = headerProblems(name, val);
      if (wrong !== null) problems.push({ message: wrong, key: name });
    }
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: value as Record<string, string> };
  });
}

/** An http(s) URL; `allowEmpty` accepts "" (= off). Credentials in the URL are never echoed. */
export function url(opts: { allowEmpty?: boolean } = {}) {
  const accepted = `use an http:// or https:// URL${opts.allowEmpty ? ', or "" for none' : ''}`;
  return field<string>((value) => {
    if (opts.allowEmpty && value === '') return { ok: true, value: '' };
    if (typeof value !== 'string') return fail(`${show(value)} is not a string; ${accepted}`);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return fail(`${show(redactUrlText(value))} is not a valid URL; ${accepted}`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return fail(`scheme ${show(parsed.protocol)} is not supported; ${accepted}`);
    return { ok: true, value };
  });
}

/** Hides userinfo in a URL-like text so a password never lands in a message: in a valid URL the part
 * of the authority before its last "@", in any other text everything before the last "@". */
export function redactUrlText(text: string): string {
  const pattern = URL.canParse(text) ? /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\\]*@/i : /^([a-z][a-z0-9+.-]*:\/*)?.*@/is;
  return text.replace(pattern, (_all, scheme: string | undefined) => `${scheme ?? ''}***@`);
}
