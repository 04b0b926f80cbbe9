// The health probe's cross-field rules: conditions the probe kind could never satisfy, and tcp / tls keys
// given to an http probe. Each error names its key (`health.conditions[1]`) and points at the character.
import { placeholdersOf, placeholderUnavailable, probeKindOf } from '../core/conditions/probe-kind.js';
import type { GuardConfig } from './config.js';
import { withCaret } from './condition-fields.js';

/** Appends an error for each condition the probe cannot evaluate and each key it does not use. */
export function probeRules(health: GuardConfig['health'], errors: string[]): void {
  const kind = probeKindOf(health.url);
  const secure = /^(https|tls):/i.test(health.url);
  health.conditions.forEach((c, i) => {
    for (const p of placeholdersOf(c)) {
      const why = placeholderUnavailable(p.name, kind, secure);
      if (why) errors.push(`health.conditions[${i}]: ${withCaret(c.text, { message: why, index: p.index })}`);
    }
  });
  if (kind !== 'http') return;
  for (const key of ['send', 'expect'] as const) {
    if (health[key] !== '') errors.push(`health.${key}: is set, but health.url is an http(s) URL, which sends its own request; remove ${key}, or use a tcp:// or tls:// URL`);
  }
}
