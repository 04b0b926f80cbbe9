// Which parsed log lines are this tool's records: a check, or an event of a kind it writes, with every
// field of records.ts of the right type (valibot schemas, typed against those interfaces). A line that is
// JSON but fails is foreign: readers show it raw, or skip and count it, and never read its fields.
import * as v from 'valibot';
import type { CheckRecord, EventRecord, GuardRecord } from './records.js';

type Kind = EventRecord['event'];
type Schema<T> = v.GenericSchema<unknown, T>;

// A string the type narrows (heal_suppressed.why, heal_resumed.why): a newer version may add values.
const word = <T extends string>() => v.pipe(v.string(), v.transform((x) => x as T));
const num = v.number();
const numOrNull = v.nullable(v.number());
const strings = v.array(v.string());
const event = <K extends Kind>(kind: K) => ({ event: v.literal(kind), ts: v.string() });

const CHECK: Schema<CheckRecord> = v.looseObject({
  ts: v.string(),
  event: v.optional(v.undefined()),
  lat: v.looseObject({ latency_ms: num, ok: v.boolean(), http_status: v.optional(numOrNull), error: v.optional(v.nullable(v.string())), attempts: v.optional(num) }),
  res: v.looseObject({ cpu: numOrNull, mem: numOrNull, disk: numOrNull }),
  score: numOrNull,
  mean: numOrNull,
  stdev: numOrNull,
  detector: v.optional(v.looseObject({ name: v.string(), score: num, anomaly: v.boolean() })),
  clock_back_ms: v.optional(num),
  reasons: v.optional(strings),
});

const EVENTS: { [K in Kind]: Schema<Extract<EventRecord, { event: K }>> } = {
  anomaly_trigger: v.looseObject({ ...event('anomaly_trigger'), reasons: strings, latency: num, score: numOrNull, cpu: numOrNull, mem: numOrNull, disk: numOrNull }),
  heal_start: v.looseObject({ ...event('heal_start'), command: strings }),
  self_heal: v.looseObject({
    ...event('self_heal'),
    command: strings,
    exit_code: numOrNull,
    signal: v.nullable(v.string()),
    timed_out: v.boolean(),
    duration_ms: num,
    stdout_tail: v.string(),
    stderr_tail: v.string(),
    error: v.optional(v.string()),
    aborted: v.optional(v.boolean()),
  }),
  heal_suppressed: v.looseObject({ ...event('heal_suppressed'), why: word<Extract<EventRecord, { event: 'heal_suppressed' }>['why']>(), detail: v.optional(v.string()) }),
  heal_verify: v.looseObject({ ...event('heal_verify'), recovered: v.boolean(), latency_ms: num, error: v.optional(v.nullable(v.string())) }),
  resource_warning: v.looseObject({ ...event('resource_warning'), reasons: strings, cpu: numOrNull, mem: numOrNull, disk: numOrNull }),
  cycle_timeout: v.looseObject({ ...event('cycle_timeout'), timeout_ms: num }),
  heal_budget_exhausted: v.looseObject({ ...event('heal_budget_exhausted'), heals_last_hour: num, max_per_hour: num, latched: v.boolean() }),
  heal_resumed: v.looseObject({ ...event('heal_resumed'), why: word<'manual' | 'healthy'>(), detail: v.optional(v.string()) }),
  recovered: v.looseObject({ ...event('recovered'), cleared: strings, duration_ms: numOrNull }),
  alert_sent: v.looseObject({ ...event('alert_sent'), key: v.string(), channels: strings, ok: v.boolean() }),
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
  return v.is(CHECK, value);
}

/** True when a parsed line is an event record of the given kind with every field of the right type. */
export function isEvent<K extends Kind>(value: unknown, kind: K): value is Extract<EventRecord, { event: K }> {
  return isObject(value) && value.event === kind && v.is(EVENTS[kind] as Schema<unknown>, value);
}

/** True when a parsed line is a record of ours (a check or a known event) with every field of the right type. */
export function isGuardRecord(value: unknown): value is GuardRecord {
  const kind = classifyRecord(value).kind;
  return kind === 'check' || kind === 'event';
}

/** Sorts a parsed line; an invalid one says which field is wrong (never its value: it may be huge). */
export function classifyRecord(value: unknown): RecordClass {
  if (!isObject(value)) return { kind: 'invalid', what: 'record', problem: 'not a JSON object' };
  const e = value.event;
  if (e === undefined && 'lat' in value) return judged(CHECK, value, 'check');
  if (knownKind(e)) return judged(EVENTS[e] as Schema<EventRecord>, value, e);
  if (typeof e === 'string') return { kind: 'unknown_event', event: e };
  return { kind: 'invalid', what: 'record', problem: e === undefined ? 'neither a check (lat) nor an event' : `event is ${kindOf(e)}` };
}

function judged(schema: Schema<GuardRecord>, value: Record<string, unknown>, what: string): RecordClass {
  const parsed = v.safeParse(schema, value, { abortEarly: true });
  if (parsed.success) return what === 'check' ? { kind: 'check', record: parsed.output as CheckRecord } : { kind: 'event', record: parsed.output as EventRecord };
  const issue = parsed.issues[0];
  const path = (issue.path ?? []).map((p) => String(p.key));
  const where = path.join('.') || 'record';
  return { kind: 'invalid', what, problem: issue.input === undefined ? `${where} is missing` : `${where} is ${kindOf(issue.input)}, not ${expectedWords(issue.expected ?? '')}` };
}

/** Names the kind of a value without showing it. */
function kindOf(x: unknown): string {
  if (x === undefined) return 'missing';
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'a list';
  if (typeof x === 'object') return 'an object';
  return `a ${typeof x}`;
}

// valibot's expectation ("number", "Array", "Object", "(number | null)", "\"self_heal\"") in words.
function expectedWords(expected: string): string {
  return expected.replace(/^\((.*)\)$/, '$1').replace(/\bArray\b/g, 'a list').replace(/\bObject\b/g, 'an object').replace(/ \| /g, ' or ');
}
