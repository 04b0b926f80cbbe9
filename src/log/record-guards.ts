// Which parsed log lines are this tool's records: a check, or an event of a kind it writes, with every
// field of records.ts of the right type. A line that is JSON but fails is foreign: readers show it raw, or
// skip and count it, and never read its fields. Extra fields and event kinds of newer versions are fine.
//
// The field table below is typed from the interfaces of records.ts (FieldsOf), so the compiler rejects a
// table that misses a field or names the wrong type. Plain typeof tests, because every reader checks every
// line: valibot (which the config uses) added about four times as much per record (bench/README.md).
import type { CheckRecord, EventRecord } from './records.js';

type Kind = EventRecord['event'];
type Json = 'string' | 'number' | 'boolean' | 'list' | 'array';
// The spec of one value: its JSON type (a list is a list of strings, an array one of anything else), `|null`
// when null is allowed, `?` when it may be missing; an object is its own table.
type LeafOf<V> = V extends readonly string[] ? 'list' : V extends readonly unknown[] ? 'array' : V extends string ? 'string' : V extends number ? 'number' : V extends boolean ? 'boolean' : never;
type SpecOf<V> = [NonNullable<V>] extends [readonly unknown[] | string | number | boolean]
  ? `${LeafOf<NonNullable<V>>}${null extends V ? '|null' : ''}${undefined extends V ? '?' : ''}`
  : { fields: FieldsOf<NonNullable<V>>; optional: undefined extends V ? true : false };
type FieldsOf<T> = { [K in keyof T]-?: SpecOf<T[K]> };
type Spec = string | { fields: Record<string, Spec>; optional: boolean };
// Events without `event` and `ts`, which classifyRecord checks itself.
type EventFields<K extends Kind> = FieldsOf<Omit<Extract<EventRecord, { event: K }>, 'event' | 'ts'>>;

const CHECK: FieldsOf<Omit<CheckRecord, 'ts'>> = {
  lat: { fields: { latency_ms: 'number', ok: 'boolean', http_status: 'number|null?', error: 'string|null?', attempts: 'number?', dns_ms: 'number?', connect_ms: 'number?', tls_ms: 'number?', first_byte_ms: 'number?', reused: 'boolean?', retried: 'boolean?', queued_ms: 'number?', reprobes: 'array?' }, optional: false },
  res: {
    fields: {
      cpu: 'number|null',
      mem: 'number|null',
      disk: 'number|null',
      cpu_ticks: { fields: { busy: 'number', total: 'number', btime: 'number|null' }, optional: true },
      cpu_span_ms: 'number?',
      service: { fields: { name: 'string', cpu: 'number|null', mem: 'number|null', usage_us: 'number?', cpus: 'number?', source: 'string?', cpu_span_ms: 'number?' }, optional: true },
    },
    optional: false,
  },
  score: 'number|null',
  mean: 'number|null',
  stdev: 'number|null',
  detector: { fields: { name: 'string', score: 'number', anomaly: 'boolean' }, optional: true },
  clock_back_ms: 'number?',
  reasons: 'list?',
  dismissed: 'list?',
  in_baseline: 'boolean?',
  stalled_ms: 'number?',
};

const EVENTS: { [K in Kind]: EventFields<K> } = {
  anomaly_trigger: { reasons: 'list', latency: 'number', score: 'number|null', cpu: 'number|null', mem: 'number|null', disk: 'number|null' },
  heal_start: { command: 'list' },
  self_heal: { command: 'list', exit_code: 'number|null', signal: 'string|null', timed_out: 'boolean', duration_ms: 'number', stdout_tail: 'string', stderr_tail: 'string', error: 'string?', aborted: 'boolean?', containment: 'string?', cgroup: 'string?', left_running: 'array?' },
  heal_suppressed: { why: 'string', detail: 'string?' },
  heal_verify: { recovered: 'boolean', latency_ms: 'number', error: 'string|null?', score: 'number|null?', cpu: 'number|null?', mem: 'number|null?', remaining: 'list?' },
  resource_warning: { reasons: 'list', cpu: 'number|null', mem: 'number|null', disk: 'number|null' },
  cycle_timeout: { timeout_ms: 'number' },
  heal_budget_exhausted: { heals_last_hour: 'number', max_per_hour: 'number', latched: 'boolean' },
  heal_resumed: { why: 'string', detail: 'string?', rebaseline: 'boolean?' },
  recovered: { cleared: 'list', duration_ms: 'number|null' },
  alert_sent: { key: 'string', channels: 'list', ok: 'boolean' },
};

/** What a parsed line is: one of our records, an event kind this version does not know, or foreign. */
export type RecordClass =
  | { kind: 'check'; record: CheckRecord }
  | { kind: 'event'; record: EventRecord }
  | { kind: 'unknown_event'; event: string }
  | { kind: 'invalid'; what: string; problem: string };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const knownKind = (e: unknown): e is Kind => typeof e === 'string' && Object.hasOwn(EVENTS, e);

/** True when a parsed line is a check record with every field of the right type. */
export function isCheckRecord(value: unknown): value is CheckRecord {
  return isObject(value) && value.event === undefined && typeof value.ts === 'string' && problemIn(CHECK, value, '') === null;
}

/** True when a parsed line is an event record of the given kind with every field of the right type. */
export function isEvent<K extends Kind>(value: unknown, kind: K): value is Extract<EventRecord, { event: K }> {
  return isObject(value) && value.event === kind && typeof value.ts === 'string' && problemIn(EVENTS[kind], value, '') === null;
}

/** The compiled table of a check record's fields but `ts` (what isCheckRecord checks), for a reader that
 * validates a line's bytes without parsing it (check-record-skim.ts). */
export function checkRecordFields(): readonly FieldCheck[] {
  return compile(CHECK);
}

/** Sorts a parsed line; an invalid one says which field is wrong (never its value: it may be huge). */
export function classifyRecord(value: unknown): RecordClass {
  if (!isObject(value)) return { kind: 'invalid', what: 'record', problem: 'not a JSON object' };
  const e = value.event;
  if (e === undefined && !('lat' in value)) return { kind: 'invalid', what: 'record', problem: 'neither a check (lat) nor an event' };
  if (e !== undefined && !knownKind(e)) return typeof e === 'string' ? { kind: 'unknown_event', event: e } : { kind: 'invalid', what: 'record', problem: `event is ${kindOf(e)}` };
  const what = e ?? 'check';
  const problem =
    typeof value.ts !== 'string'
      ? `ts is ${kindOf(value.ts)}${value.ts === undefined ? '' : ', not string'}`
      : value.target !== undefined && typeof value.target !== 'string'
        ? `target is ${kindOf(value.target)}, not string`
        : problemIn(e === undefined ? CHECK : EVENTS[e], value, '');
  if (problem !== null) return { kind: 'invalid', what, problem };
  return e === undefined ? { kind: 'check', record: value as unknown as CheckRecord } : { kind: 'event', record: value as unknown as EventRecord };
}

/** One field of a table compiled once into a list of checks (no string work per record): its JSON type (null
 * for an object, whose own fields follow), whether null is allowed, whether it may be missing. */
export type FieldCheck = { key: string; json: Json | null; nullable: boolean; optional: boolean; fields: FieldCheck[] };
type Check = FieldCheck;
const compiled = new Map<object, Check[]>();
function compile(fields: Record<string, Spec>): Check[] {
  let checks = compiled.get(fields);
  if (checks !== undefined) return checks;
  checks = Object.entries(fields).map(([key, spec]) =>
    typeof spec === 'string'
      ? { key, json: spec.replace(/\|null|\?/g, '') as Json, nullable: spec.includes('|null'), optional: spec.endsWith('?'), fields: [] }
      : { key, json: null, nullable: false, optional: spec.optional, fields: compile(spec.fields) },
  );
  compiled.set(fields, checks);
  return checks;
}

// The first field of `obj` that does not match its spec, in words, or null.
function problemIn(fields: Record<string, Spec>, obj: Record<string, unknown>, prefix: string): string | null {
  return firstProblem(compile(fields), obj, prefix);
}

function firstProblem(checks: Check[], obj: Record<string, unknown>, prefix: string): string | null {
  for (const c of checks) {
    const value = obj[c.key];
    if (value === undefined) {
      if (c.optional) continue;
      return `${prefix}${c.key} is missing`;
    }
    if (value === null && c.nullable) continue;
    const wrong = c.json === null ? objectProblem(c, value, prefix) : leafProblem(c, value, prefix);
    if (wrong !== null) return wrong;
  }
  return null;
}

function objectProblem(c: Check, value: unknown, prefix: string): string | null {
  if (!isObject(value)) return `${prefix}${c.key} is ${kindOf(value)}, not an object`;
  return firstProblem(c.fields, value, `${prefix}${c.key}.`);
}

function leafProblem(c: Check, value: unknown, prefix: string): string | null {
  if (c.json === 'array') return Array.isArray(value) ? null : `${prefix}${c.key} is ${kindOf(value)}, not a list`;
  if (c.json !== 'list') return typeof value === c.json ? null : `${prefix}${c.key} is ${kindOf(value)}, not ${c.json}${c.nullable ? ' or null' : ''}`;
  if (!Array.isArray(value)) return `${prefix}${c.key} is ${kindOf(value)}, not a list`;
  for (let i = 0; i < value.length; i++) if (typeof value[i] !== 'string') return `${prefix}${c.key}.${i} is ${kindOf(value[i])}, not string`;
  return null;
}

/** Names the kind of a value without showing it. */
function kindOf(x: unknown): string {
  if (x === undefined) return 'missing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'an object';
  return `a ${typeof x}`;
}
