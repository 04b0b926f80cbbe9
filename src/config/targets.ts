// `targets:`: many services in one guard. Each item names a target and overrides the top-level sections,
// which are every target's defaults: a target's document is the top level with the target's keys merged
// over it (mappings key by key, lists and values replaced; resources.service replaced whole), validated
// and normalised exactly like a config of its own. Each target logs to its own file beside log_file
// (`<log stem>.<name><ext>`), so its baseline and heal budget are its own and a tail read stays small.
import { basename, dirname, extname, join } from 'node:path';

/** A target's name: letters, digits, `_ . -`, at most 64, not starting with a dot or dash. */
export const TARGET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** Keys a target may set; the rest (log_file, http, heartbeat, …) belong to the whole guard. */
export const PER_TARGET_KEYS = ['name', 'interval', 'schedule', 'health', 'latency', 'actions', 'heal', 'alert', 'resources'] as const;

/** Resources keys of the host, sampled once per cycle for every target: set only at the top level. */
const HOST_RESOURCE_KEYS = ['procfs', 'cpu_sample', 'cpu_over'];

/** One written target: its item (a mapping) and where it came from (null = the config file itself). */
export interface WrittenTarget {
  item: unknown;
  /** The include file it was read from, as written relative to the config's folder; null = `targets:`. */
  from: string | null;
}

/** A target ready to validate: its name, the merged document, and how its problems are prefixed. */
export interface TargetDoc {
  name: string;
  doc: Record<string, unknown>;
  /** The target's own item, to tell its keys from those it inherits. */
  own: Record<string, unknown>;
  /** `targets[api]`: the prefix of its problems' key paths. */
  label: string;
  from: string | null;
}

const isMapping = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The log file of target `name`: beside log_file, `logs/anomaly_guard.ndjson` → `logs/anomaly_guard.api.ndjson`. */
export function targetLogFile(logFile: string, name: string): string {
  const ext = extname(logFile);
  return join(dirname(logFile), `${basename(logFile, ext)}.${name}${ext}`);
}

/** The merged documents of the targets, and the problems of their names and keys (`targets[api].x: …`). */
export function targetDocs(top: Record<string, unknown>, written: WrittenTarget[]): { docs: TargetDoc[]; problems: string[] } {
  const base: Record<string, unknown> = { ...top };
  delete base.targets;
  delete base.include;
  const docs: TargetDoc[] = [];
  const problems: string[] = [];
  const seen = new Map<string, string>();
  written.forEach(({ item, from }, i) => {
    const where = from === null ? '' : ` (in ${from})`;
    if (!isMapping(item)) {
      problems.push(`targets[${i}]: is ${Array.isArray(item) ? 'a list' : JSON.stringify(item) ?? String(item)}, not a mapping${where}; give each target as a block of keys with a name, e.g. "- name: api"`);
      return;
    }
    const name = item.name;
    if (typeof name !== 'string' || !TARGET_NAME.test(name)) {
      const shown = name === undefined ? 'is missing' : `${JSON.stringify(name)} is not a target name`;
      problems.push(`targets[${i}].name: ${shown}${where}; give each target a unique name of letters, digits, _ . - (at most 64), e.g. api`);
      return;
    }
    const label = `targets[${name}]`;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      problems.push(`${label}.name: ${JSON.stringify(name)} is given twice (${earlier} and ${from ?? 'targets'}); give each target its own name`);
      return;
    }
    seen.set(name, from ?? 'targets');
    const own = ownKeyProblems(item, label, where);
    problems.push(...own);
    if (own.length > 0) return;
    if (!isMapping(item.health) || item.health.url === undefined) {
      problems.push(`${label}.health.url: is missing${where}; every target names its own health endpoint, e.g. health: {url: http://127.0.0.1:8080/health}`);
      return;
    }
    docs.push({ name, doc: mergeTarget(base, item), own: item, label, from });
  });
  return { docs, problems };
}

// A target may set only its own sections, and no host-wide resources key.
function ownKeyProblems(item: Record<string, unknown>, label: string, where: string): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(item)) {
    if (!(PER_TARGET_KEYS as readonly string[]).includes(key)) {
      problems.push(`${label}.${key}: is not a per-target key${where}; set it at the top level (it is the whole guard's), or use one of: ${PER_TARGET_KEYS.join(', ')}`);
    }
  }
  if (isMapping(item.resources)) {
    for (const key of Object.keys(item.resources).filter((k) => HOST_RESOURCE_KEYS.includes(k))) {
      problems.push(`${label}.resources.${key}: is the host's, sampled once per cycle for every target${where}; set it at the top level`);
    }
  }
  return problems;
}

// The top level with the target's keys over it: mappings merged key by key, anything else replaced.
function mergeTarget(base: Record<string, unknown>, item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(item)) {
    if (key === 'name') continue;
    out[key] = mergeValue(base[key], value, [key]);
  }
  return out;
}

function mergeValue(under: unknown, over: unknown, path: string[]): unknown {
  // The service is named one way (unit, cgroup or pid_file): a target's replaces the default's whole.
  if (!isMapping(under) || !isMapping(over) || path.join('.') === 'resources.service') return over;
  const out: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) out[key] = mergeValue(under[key], value, [...path, key]);
  return out;
}

/** True when the dotted key path (as a problem names it) was written in the target's own item. */
export function writtenInTarget(own: Record<string, unknown>, path: string): boolean {
  let at: unknown = own;
  for (const key of path.split(/[.[\]]+/).filter((k) => k !== '')) {
    if (!isMapping(at) || !Object.hasOwn(at, key)) return Array.isArray(at);
    at = at[key];
  }
  return true;
}
