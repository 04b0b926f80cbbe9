// Config fields of the health probe beyond http(s): `health.conditions` (Gatus syntax, each parsed once
// here, a bad one shown with a caret under the character at fault) and a probe URL (http, https, tcp, tls).
import { parseCondition } from '../core/conditions/parse.js';
import type { Condition, ConditionError } from '../core/conditions/types.js';
import { field, kindOf, redactUrlText, show } from './fields.js';

const EXAMPLE = '["[STATUS] == 200", "[BODY].status == UP"]';

/** The problem text for a condition: the message, then the condition and a caret under character `index`. */
export function withCaret(text: string, error: ConditionError): string {
  const at = Math.max(0, Math.min(error.index, text.length));
  return `${error.message} (character ${at + 1})\n      ${text}\n      ${' '.repeat(Array.from(text.slice(0, at)).length)}^`;
}

/** A list of Gatus-syntax conditions, parsed; every bad one is reported at `<key>[i]`. */
export function conditions() {
  return field<Condition[]>((value) => {
    if (!Array.isArray(value)) return { ok: false, problems: [{ message: `${show(value)} is not a list; give the conditions as a list of strings, e.g. ${EXAMPLE}` }] };
    const parsed: Condition[] = [];
    const problems: { message: string; key: string }[] = [];
    value.forEach((item: unknown, i) => {
      if (typeof item !== 'string') {
        const quote = Array.isArray(item) ? ' (in YAML, quote a condition that starts with [: - "[STATUS] == 200")' : '';
        return problems.push({ key: String(i), message: `is ${kindOf(item)}, not a string${quote}; write each condition as a string, e.g. "[STATUS] == 200"` });
      }
      const result = parseCondition(item);
      if (result.ok) parsed.push(result.condition);
      else problems.push({ key: String(i), message: withCaret(item, result.error) });
    });
    return problems.length > 0 ? { ok: false, problems } : { ok: true, value: parsed };
  });
}

const PROBE_SCHEMES = ['http:', 'https:', 'tcp:', 'tls:'];
const ACCEPTED = 'use an http:// or https:// URL, or tcp://host:port or tls://host:port';

/** The health URL: http(s) as before, or tcp://host:port and tls://host:port (a port, no path). */
export function probeUrl() {
  return field<string>((value) => {
    if (typeof value !== 'string') return fail(`${show(value)} is not a string; ${ACCEPTED}`);
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return fail(`${show(redactUrlText(value))} is not a valid URL; ${ACCEPTED}`);
    }
    if (!PROBE_SCHEMES.includes(parsed.protocol)) return fail(`scheme ${show(parsed.protocol)} is not supported; ${ACCEPTED}`);
    if (parsed.protocol === 'tcp:' || parsed.protocol === 'tls:') {
      const problem = socketUrlProblem(parsed);
      if (problem) return fail(`${show(redactUrlText(value))} ${problem}`);
    }
    return { ok: true, value };
  });
}

function socketUrlProblem(url: URL): string | null {
  const example = `e.g. ${url.protocol}//127.0.0.1:5432`;
  if (url.hostname === '') return `has no host; write ${url.protocol}//host:port, ${example}`;
  if (url.port === '') return `has no port; write ${url.protocol}//host:port, ${example}`;
  if (url.username !== '' || url.password !== '') return `has credentials; a ${url.protocol.slice(0, -1)} probe sends none, remove them`;
  if ((url.pathname !== '' && url.pathname !== '/') || url.search !== '' || url.hash !== '') return `has a path or query; a ${url.protocol.slice(0, -1)} probe only connects, write ${url.protocol}//host:port`;
  return null;
}

function fail(message: string) {
  return { ok: false as const, problems: [{ message }] };
}
