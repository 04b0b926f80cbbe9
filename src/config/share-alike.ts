// Targets that share a section share one object: each target's config is built by its own schema parse and
// normalise, so 10,000 targets that inherit the same `heal:`, `alert:`, `latency:` … held 10,000 equal copies
// (~0.9 KB a target). After a load, every plain object or list of a target's config that equals one already
// seen (same keys, same values, in order) is replaced by that one. Configs are read-only once loaded.

type Plain = Record<string, unknown> | unknown[];

/** Replaces, in place, the equal sections of the targets' configs by one shared object (the top level of each
 * config stays its own). */
export function shareAlike<T extends object>(configs: T[]): void {
  const seen = new Map<string, Plain>();
  for (const config of configs) {
    const c = config as Record<string, unknown>;
    for (const key of Object.keys(c)) {
      const shared = intern(c[key], seen);
      if (shared !== undefined) c[key] = shared.value;
    }
  }
}

// The shared copy of `value` and its key, or undefined when it is not plain data (then it is left as it is,
// and so is every object holding it).
function intern(value: unknown, seen: Map<string, Plain>): { value: unknown; key: string } | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return { value, key: JSON.stringify(value) };
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? { value, key: String(value) } : undefined;
  if (typeof value !== 'object') return undefined;
  const isList = Array.isArray(value);
  if (!isList && Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  const inner = new Map<string, unknown>();
  for (const k of Object.keys(obj)) {
    const s = intern(obj[k], seen);
    if (s === undefined) return undefined;
    if (s.value !== obj[k]) inner.set(k, s.value);
    parts.push(isList ? s.key : `${JSON.stringify(k)}:${s.key}`);
  }
  if (isList && parts.length !== (value as unknown[]).length) return undefined; // a sparse list
  const key = isList ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
  const found = seen.get(key);
  if (found !== undefined) return { value: found, key };
  for (const [k, v] of inner) obj[k] = v;
  seen.set(key, value as Plain);
  return { value, key };
}
