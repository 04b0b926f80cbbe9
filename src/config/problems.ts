// Schema problems as the user sees them: every unknown key (valibot's strictObject stops at the first),
// with a "did you mean" for a near miss, and all problems in the order their keys appear in the file.
import type * as v from 'valibot';
import { configSchema, schemaEntries, type SchemaNode } from './schema.js';

/** One problem: the key path it is at and what is wrong; what is accepted. */
export interface Problem {
  path: string[];
  message: string;
}

const isMapping = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Every key of `input` the schema does not know, at any depth, in the file's order. */
export function unknownKeys(input: unknown, node: SchemaNode = configSchema as unknown as SchemaNode, path: string[] = []): Problem[] {
  const entries = schemaEntries(node);
  if (entries === null || !isMapping(input)) return [];
  const known = Object.keys(entries);
  const where = path.length === 0 ? 'accepted top-level keys' : 'accepted keys here';
  return Object.entries(input).flatMap(([key, value]) => {
    // Own keys only: `toString`, `constructor` and `__proto__` are keys of every object, not of the schema.
    const child = Object.hasOwn(entries, key) ? entries[key] : undefined;
    if (child) return unknownKeys(value, child as unknown as SchemaNode, [...path, key]);
    const near = nearestKey(key, known);
    return [{ path: [...path, key], message: `unknown key${near ? ` (did you mean ${near}?)` : ''}; ${where}: ${known.join(', ')}` }];
  });
}

/** Turns a valibot issue into a Problem. */
export function fromIssue(issue: v.BaseIssue<unknown>): Problem {
  return { path: (issue.path ?? []).map((item) => String((item as { key: unknown }).key)), message: issue.message };
}

/** Sorts problems by where their keys are in the file (stable for keys the file does not have). */
export function inFileOrder(problems: Problem[], input: unknown): Problem[] {
  // Each mapping's key positions are indexed once: 20,000 unknown keys must not cost 20,000 scans of 20,000 keys.
  const indexes = new Map<object, Map<string, number>>();
  const position = (at: Record<string, unknown>, key: string): number => {
    let index = indexes.get(at);
    if (index === undefined) indexes.set(at, (index = new Map(Object.keys(at).map((k, i) => [k, i]))));
    return index.get(key) ?? index.size;
  };
  const rank = (path: string[]): number[] => {
    let at: unknown = input;
    return path.map((key) => {
      const i = isMapping(at) ? position(at, key) : 0;
      at = isMapping(at) && Object.hasOwn(at, key) ? at[key] : undefined;
      return i;
    });
  };
  const ranked = problems.map((p, i) => ({ p, r: rank(p.path), i }));
  ranked.sort((a, b) => compareRanks(a.r, b.r) || a.i - b.i);
  return ranked.map(({ p }) => p);
}

/** Renders a problem as `<dotted.key.path>: <message>`; a list item's index as `[i]` (`health.conditions[2]`). */
export function renderProblem(p: Problem): string {
  const path = p.path.reduce((out, key) => (out !== '' && /^\d+$/.test(key) ? `${out}[${key}]` : out === '' ? key : `${out}.${key}`), '');
  return `${path || '(top level)'}: ${p.message}`;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}

// A known key within two edits (or equal but for case and - vs _) of what was written.
function nearestKey(written: string, known: string[]): string | null {
  const plain = (s: string): string => s.toLowerCase().replace(/-/g, '_');
  const scored = known.map((k) => ({ k, d: plain(k) === plain(written) ? 0 : editDistance(plain(k), plain(written)) }));
  const best = scored.sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.min(2, Math.floor(written.length / 3)) ? best.k : null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length] as number;
}
