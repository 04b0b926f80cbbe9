// The fast path of the log reader: a check record read from its bytes without building an object. It
// takes the compact JSON this tool writes, keys in any order, extra fields of any shape; it declines
// (SKIM_FAIL) an event record, a line without `ts` or `lat`, a repeated known key, or anything that is not
// compact plain JSON, and the line then goes to JSON.parse. What it reads equals checkViewOf(JSON.parse(line)).
import { type CheckLine, SLOT } from './check-line.js';
import { expectedLat, expectedRes, expectedTop, K_CPU, K_EVENT, K_LAT, K_LATENCY, K_MEAN, K_MEM, K_OK, K_REASONS, K_RES, K_SCORE, K_STDEV, K_TS, LAT_ORDER_BITS, latKey, RES_ORDER_BITS, resKey, TOP_ORDER_BITS, topKey } from './check-keys.js';
import { readNumber, SKIM_FAIL, skipString, skipValue, startsNumber } from './json-skim.js';
import { skimOwn } from './own-line.js';

const { latency: LAT, score: SCORE, mean: MEAN, stdev: STDEV, cpu: CPU, mem: MEM, disk: DISK } = SLOT;

// A number into f[slot]; any other value leaves NaN (null in the view).
function numberOrOther(b: Uint8Array, p: number, f: Float64Array, slot: number): number {
  return startsNumber(b[p] as number) ? readNumber(b, p, f, slot) : skipValue(b, p, 2);
}

// Where the value of the key whose quote is at p starts, or SKIM_FAIL.
function valueAt(b: Uint8Array, p: number): number {
  if (b[p] !== 0x22) return SKIM_FAIL;
  const end = skipString(b, p + 1);
  return end < 0 || b[end] !== 0x3a ? SKIM_FAIL : end + 1;
}

// The members this tool's form holds before what may follow it (own-line.ts).
const OWN_SEEN = K_TS | K_LAT | K_RES | K_SCORE | K_MEAN | K_STDEV;

/** Skims the line at s into v; returns the index of its '\n', or SKIM_FAIL. v.tsMs, v.tsUs and v.pos are the caller's. */
export function skimCheck(b: Buffer, s: number, v: CheckLine): number {
  v.reset(b);
  const p = skimOwn(b, v.dv, s, v);
  if (p >= 0) {
    if (b[p] === 0x7d) return b[p + 1] === 0x0a ? p + 1 : SKIM_FAIL;
    return b[p] === 0x2c ? members(b, p + 1, v, OWN_SEEN, TOP_ORDER_BITS.length) : SKIM_FAIL;
  }
  // An event record ({"event":… as this tool writes it) is declined at once: members() would read its
  // first key only to decline it.
  if (s + 9 <= b.length && isEventOpen(v.dv, s)) return SKIM_FAIL;
  v.reset(b);
  return b[s] === 0x7b ? members(b, s + 1, v, 0, 0) : SKIM_FAIL;
}

// {"event": (as little-endian integers, as in own-line.ts)
const isEventOpen = (d: DataView, s: number): boolean => d.getUint32(s, true) === 0x7665227b && d.getUint32(s + 4, true) === 0x22746e65 && d.getUint8(s + 8) === 0x3a;

// The top-level members from the key at p, after those in `seen`, the n-th usual key tried first.
function members(b: Buffer, p: number, v: CheckLine, seen: number, n: number): number {
  for (;;) {
    let bit: number;
    const len = expectedTop(b, p, n);
    if (len > 0) {
      bit = TOP_ORDER_BITS[n++] as number;
      p += len;
    } else {
      const value = valueAt(b, p);
      if (value < 0) return SKIM_FAIL;
      bit = topKey(b, p + 1, value - p - 3);
      p = value;
    }
    if ((seen & bit) !== 0) return SKIM_FAIL;
    seen |= bit;
    p = topMember(b, bit, p, v);
    if (p < 0) return SKIM_FAIL;
    const c = b[p++];
    if (c === 0x7d) break;
    if (c !== 0x2c) return SKIM_FAIL;
  }
  return (seen & (K_TS | K_LAT)) === (K_TS | K_LAT) && b[p] === 0x0a ? p : SKIM_FAIL;
}

function topMember(b: Buffer, bit: number, at: number, v: CheckLine): number {
  switch (bit) {
    case K_TS:
      return readTs(b, at, v);
    case K_LAT:
      return nested(b, at, v, true);
    case K_RES: // not an object: no cpu, mem, disk
      return b[at] === 0x7b ? nested(b, at, v, false) : skipValue(b, at, 1);
    case K_SCORE:
      return numberOrOther(b, at, v.f, SCORE);
    case K_MEAN:
      return numberOrOther(b, at, v.f, MEAN);
    case K_STDEV:
      return numberOrOther(b, at, v.f, STDEV);
    case K_REASONS:
      return readReasons(b, at, v);
    case K_EVENT:
      return SKIM_FAIL; // an event record: JSON.parse reads it
    default:
      return skipValue(b, at, 1);
  }
}

// The members of `lat` (or `res`) at p, the keys this tool writes tried first; a key read twice fails.
function nested(b: Buffer, p: number, v: CheckLine, lat: boolean): number {
  if (b[p++] !== 0x7b) return SKIM_FAIL;
  if (b[p] === 0x7d) return p + 1;
  let seen = 0;
  let next = 0;
  for (;;) {
    let bit: number;
    const len = lat ? expectedLat(b, p, next) : expectedRes(b, p, next);
    if (len > 0) {
      bit = ((lat ? LAT_ORDER_BITS : RES_ORDER_BITS)[next++] as number);
      p += len;
    } else {
      const value = valueAt(b, p);
      if (value < 0) return SKIM_FAIL;
      bit = lat ? latKey(b, p + 1, value - p - 3) : resKey(b, p + 1, value - p - 3);
      p = value;
    }
    if ((seen & bit) !== 0) return SKIM_FAIL;
    seen |= bit;
    p = lat ? latValue(b, p, bit, v) : resValue(b, p, bit, v);
    if (p < 0) return SKIM_FAIL;
    const c = b[p++];
    if (c === 0x7d) return p;
    if (c !== 0x2c) return SKIM_FAIL;
  }
}

// A member of `lat`: latency_ms and ok read, others validated.
function latValue(b: Buffer, p: number, bit: number, v: CheckLine): number {
  if (bit === K_LATENCY) return numberOrOther(b, p, v.f, LAT);
  const end = skipValue(b, p, 2);
  if (bit === K_OK) v.okCode = b[p] === 0x74 ? 1 : b[p] === 0x66 ? 0 : -1;
  return end;
}

// A member of `res`: cpu, mem and disk read, others validated.
function resValue(b: Buffer, p: number, bit: number, v: CheckLine): number {
  return bit === 0 ? skipValue(b, p, 2) : numberOrOther(b, p, v.f, bit === K_CPU ? CPU : bit === K_MEM ? MEM : DISK);
}

// A string ts: one in the log's own form is read here (its 27 bytes are then known to be plain), others
// are skipped and read later; the text is decoded only when asked for.
function readTs(b: Buffer, at: number, v: CheckLine): number {
  if (b[at] !== 0x22) return SKIM_FAIL;
  const s = at + 1;
  v.tsStart = s;
  if (b[s + 27] === 0x22 && v.tsReader.canonical(b, s, v)) {
    v.tsRead = true;
    v.tsEnd = s + 27;
    return s + 28;
  }
  const end = skipString(b, s);
  v.tsEnd = end - 1;
  return end;
}

// The string items of the array at p (other items are validated and left out).
function readReasons(b: Buffer, p: number, v: CheckLine): number {
  if (b[p] !== 0x5b) return skipValue(b, p, 1); // not an array: no reasons
  p++;
  if (b[p] === 0x5d) return p + 1;
  const out: string[] = [];
  for (;;) {
    if (b[p] === 0x22) {
      const end = skipString(b, p + 1);
      if (end < 0) return SKIM_FAIL;
      out.push(b.toString('utf8', p + 1, end - 1));
      p = end;
    } else p = skipValue(b, p, 2);
    if (p < 0) return SKIM_FAIL;
    const c = b[p++];
    if (c === 0x5d) break;
    if (c !== 0x2c) return SKIM_FAIL;
  }
  if (out.length > 0) v.reasons = out;
  return p;
}
