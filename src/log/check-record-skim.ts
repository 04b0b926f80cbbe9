// A check record recognised from its bytes without JSON.parse, for the daemon's rebuild: it answers only
// "this line is certainly a check record isCheckRecord accepts, and this is its ts" and declines anything
// else (null), an event, a foreign or torn line, a space, an escape, a repeated known key, a non-ASCII ts:
// the caller then parses the line as before. The field types come from record-guards.ts's own table, so a
// line it accepts is one the guards accept; extra fields are validated as JSON and otherwise ignored.
import { checkRecordFields, type FieldCheck } from './record-guards.js';
import { numberEnd, readNumber, SKIM_FAIL, skipString, skipValue, startsNumber } from './json-skim.js';

// One object's table: its keys as bytes, their checks, the bits of the required ones.
type Level = { keys: Uint8Array[]; checks: FieldCheck[]; nested: (Level | null)[]; required: number };

function levelOf(checks: readonly FieldCheck[]): Level {
  const list = [...checks];
  let required = 0;
  list.forEach((c, i) => {
    if (!c.optional) required |= 1 << i;
  });
  return { keys: list.map((c) => Buffer.from(c.key, 'latin1')), checks: list, nested: list.map((c) => (c.json === null ? levelOf(c.fields) : null)), required };
}

// The top level: the check table plus `ts` (a required string) and `event` (present: not a check).
const TS: FieldCheck = { key: 'ts', json: 'string', nullable: false, optional: false, fields: [] };
const EVENT: FieldCheck = { key: 'event', json: null, nullable: false, optional: true, fields: [] };
const TOP = levelOf([TS, ...checkRecordFields(), EVENT]); // in the order this tool writes them
const TS_INDEX = TOP.checks.indexOf(TS);
const EVENT_INDEX = TOP.checks.indexOf(EVENT);
const indexIn = (level: Level, key: string): number => level.checks.findIndex((c) => c.key === key);
const LAT = TOP.nested[indexIn(TOP, 'lat')] as Level;
const LATENCY_INDEX = indexIn(LAT, 'latency_ms');
const OK_INDEX = indexIn(LAT, 'ok');
const IN_BASELINE_INDEX = indexIn(TOP, 'in_baseline');
const STALLED_INDEX = indexIn(TOP, 'stalled_ms');

let scratch = Buffer.alloc(4096);
// The bytes of the line skimmed last: its own buffer, or scratch.
let src: Buffer = scratch;
// Where the ts string of the line being skimmed is, [tsStart, tsEnd), and where the values the window reads start.
let tsStart = -1;
let tsEnd = -1;
let latencyAt = -1;
let okAt = -1;
let inBaselineAt = -1;
let stalledAt = -1;
const number = new Float64Array(1);

/** What the latency window reads of the check record skimCheckTs accepted last: its fields as JSON.parse gives them. */
export function skimmedWindowFields(): { latencyMs: number; ok: boolean; inBaseline: boolean | undefined; stalledMs: number | undefined } {
  readNumber(src, latencyAt, number, 0);
  const latencyMs = number[0] as number;
  let stalledMs: number | undefined;
  if (stalledAt >= 0) {
    readNumber(src, stalledAt, number, 0);
    stalledMs = number[0] as number;
  }
  return { latencyMs, ok: src[okAt] === 0x74, inBaseline: inBaselineAt < 0 ? undefined : src[inBaselineAt] === 0x74, stalledMs };
}

/** The ts of a line, bytes [start, end) without its '\n', that is certainly a check record, or null when it takes
 * JSON.parse to tell. */
export function skimCheckTs(bytes: Buffer, start = 0, end = bytes.length): string | null {
  if (end - start < 2 || bytes[start] !== 0x7b || bytes[end - 1] !== 0x7d) return null;
  // The skimmer stops at a control byte: a line that its '\n' does not end in `bytes` is copied to end in one.
  if (bytes[end] === 0x0a) src = bytes;
  else {
    if (scratch.length < end - start + 1) scratch = Buffer.alloc(Math.max(end - start + 1, scratch.length * 2));
    bytes.copy(scratch, 0, start, end);
    scratch[end - start] = 0x0a;
    src = scratch;
    end -= start;
    start = 0;
  }
  tsStart = -1;
  inBaselineAt = -1;
  stalledAt = -1;
  const after = object(src, start, TOP, 1);
  if (after !== end || tsStart < 0) return null;
  for (let i = tsStart; i < tsEnd; i++) if ((src[i] as number) >= 0x80) return null;
  return src.toString('latin1', tsStart, tsEnd);
}

// The object at p (its '{') checked against `level`; returns the position after its '}' or SKIM_FAIL.
function object(b: Buffer, p: number, level: Level, depth: number): number {
  const top = level === TOP;
  p++;
  let seen = 0;
  let next = 0; // keys come in the table's order: the one after the last found is tried first
  if (b[p] === 0x7d) return level.required === 0 ? p + 1 : SKIM_FAIL;
  for (;;) {
    if (b[p] !== 0x22) return SKIM_FAIL;
    const keyEnd = skipString(b, p + 1);
    if (keyEnd < 0 || b[keyEnd] !== 0x3a) return SKIM_FAIL;
    const i = find(level, b, p + 1, keyEnd - 1, next);
    if (i >= 0) next = i + 1;
    p = keyEnd + 1;
    if (i < 0) p = skipValue(b, p, depth);
    else {
      const bit = 1 << i;
      if ((seen & bit) !== 0) return SKIM_FAIL; // JSON.parse keeps the last one: let it
      seen |= bit;
      if (top && i === EVENT_INDEX) return SKIM_FAIL;
      note(level, i, p);
      p = value(b, p, level.checks[i] as FieldCheck, level.nested[i] ?? null, depth);
      if (top && i === TS_INDEX) {
        tsStart = keyEnd + 2;
        tsEnd = p - 1;
      }
    }
    if (p < 0) return SKIM_FAIL;
    const c = b[p++];
    if (c === 0x7d) break;
    if (c !== 0x2c) return SKIM_FAIL;
  }
  return (seen & level.required) === level.required ? p : SKIM_FAIL;
}

// Notes where a value the window reads starts (its type is checked after).
function note(level: Level, i: number, p: number): void {
  if (level === LAT) {
    if (i === LATENCY_INDEX) latencyAt = p;
    else if (i === OK_INDEX) okAt = p;
  } else if (level === TOP) {
    if (i === IN_BASELINE_INDEX) inBaselineAt = p;
    else if (i === STALLED_INDEX) stalledAt = p;
  }
}

// The index of the key in [s, e) in the level's table, or -1.
function find(level: Level, b: Buffer, s: number, e: number, first: number): number {
  const n = e - s;
  const keys = level.keys;
  const hint = keys[first];
  if (hint !== undefined && hint.length === n && same(b, s, hint)) return first;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as Uint8Array;
    if (k.length === n && same(b, s, k)) return i;
  }
  return -1;
}

const same = (b: Buffer, s: number, k: Uint8Array): boolean => {
  for (let j = 0; j < k.length; j++) if (b[s + j] !== k[j]) return false;
  return true;
};

// One known field's value at p, of the type its check asks for; anything else declines.
function value(b: Buffer, p: number, check: FieldCheck, nested: Level | null, depth: number): number {
  const c = b[p] as number;
  if (c === 0x6e && check.nullable) return skipValue(b, p, depth);
  if (nested !== null) return c === 0x7b && depth < 16 ? object(b, p, nested, depth + 1) : SKIM_FAIL;
  switch (check.json) {
    case 'number':
      return startsNumber(c) ? numberEnd(b, p) : SKIM_FAIL;
    case 'boolean':
      return c === 0x74 || c === 0x66 ? skipValue(b, p, depth) : SKIM_FAIL;
    case 'string':
      return c === 0x22 ? skipString(b, p + 1) : SKIM_FAIL;
    case 'array':
      return c === 0x5b ? skipValue(b, p, depth) : SKIM_FAIL;
    case 'list':
      return c === 0x5b ? stringList(b, p + 1) : SKIM_FAIL;
    default:
      return SKIM_FAIL;
  }
}

// The items after a '[' at p - 1, every one a string.
function stringList(b: Buffer, p: number): number {
  if (b[p] === 0x5d) return p + 1;
  for (;;) {
    if (b[p] !== 0x22) return SKIM_FAIL;
    p = skipString(b, p + 1);
    if (p < 0) return SKIM_FAIL;
    const c = b[p++];
    if (c === 0x5d) return p;
    if (c !== 0x2c) return SKIM_FAIL;
  }
}
