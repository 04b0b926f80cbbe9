// The fast path of the log reader: a check record read from its bytes without building an object. It
// takes the compact JSON this tool writes, keys in any order, extra fields of any shape; it declines
// (SKIM_FAIL) an event record, a line without `ts` or `lat`, a repeated known key, or anything that is not
// compact plain JSON, and the line then goes to JSON.parse. What it reads equals checkViewOf(JSON.parse(line)).
import { type CheckLine, SLOT } from './check-line.js';
import { bytesAre, keyBytes, readNumber, SKIM_FAIL, skipString, skipValue, startsNumber } from './json-skim.js';

const { latency: LAT, score: SCORE, mean: MEAN, stdev: STDEV, cpu: CPU, mem: MEM, disk: DISK } = SLOT;

// Known keys as bits (a repeated one declines the line: JSON.parse keeps the last, the skimmer the first).
const K_TS = 1;
const K_LAT = 2;
const K_RES = 4;
const K_SCORE = 8;
const K_MEAN = 16;
const K_STDEV = 32;
const K_REASONS = 64;
const K_EVENT = 128;
const K_LATENCY = 1;
const K_OK = 2;
const K_CPU = 1;
const K_MEM = 2;
const K_DISK = 4;

const W_SCORE = keyBytes('score');
const W_STDEV = keyBytes('stdev');
const W_EVENT = keyBytes('event');
const W_REASONS = keyBytes('reasons');
const W_LATENCY = keyBytes('latency_ms');

// The three-letter key at `at` is a, b, c.
const is3 = (b: Uint8Array, at: number, x: number, y: number, z: number): boolean => b[at] === x && b[at + 1] === y && b[at + 2] === z;

// The bit of a top-level key (0: one the report does not read).
function topKey(b: Uint8Array, at: number, len: number): number {
  switch (len) {
    case 2:
      return b[at] === 0x74 && b[at + 1] === 0x73 ? K_TS : 0;
    case 3:
      return is3(b, at, 0x6c, 0x61, 0x74) ? K_LAT : is3(b, at, 0x72, 0x65, 0x73) ? K_RES : 0;
    case 4:
      return is3(b, at, 0x6d, 0x65, 0x61) && b[at + 3] === 0x6e ? K_MEAN : 0;
    case 5:
      return bytesAre(b, at, 5, W_SCORE) ? K_SCORE : bytesAre(b, at, 5, W_STDEV) ? K_STDEV : bytesAre(b, at, 5, W_EVENT) ? K_EVENT : 0;
    case 7:
      return bytesAre(b, at, 7, W_REASONS) ? K_REASONS : 0;
    default:
      return 0;
  }
}

function latKey(b: Uint8Array, at: number, len: number): number {
  if (len === 2) return b[at] === 0x6f && b[at + 1] === 0x6b ? K_OK : 0;
  return len === 10 && bytesAre(b, at, 10, W_LATENCY) ? K_LATENCY : 0;
}

function resKey(b: Uint8Array, at: number, len: number): number {
  if (len === 3) return is3(b, at, 0x63, 0x70, 0x75) ? K_CPU : is3(b, at, 0x6d, 0x65, 0x6d) ? K_MEM : 0;
  return len === 4 && is3(b, at, 0x64, 0x69, 0x73) && b[at + 3] === 0x6b ? K_DISK : 0;
}

// A number into f[slot]; any other value leaves NaN (null in the view).
function numberOrOther(b: Uint8Array, p: number, f: Float64Array, slot: number): number {
  return startsNumber(b[p] as number) ? readNumber(b, p, f, slot) : skipValue(b, p, 2);
}

// The members in the order this tool writes them, as `"key":` bytes: the skimmer tries the next one first.
const quoted = (key: string): Uint8Array => keyBytes(`"${key}":`);
const TOP_ORDER = [quoted('ts'), quoted('lat'), quoted('res'), quoted('score'), quoted('mean'), quoted('stdev')];
const TOP_BITS = [K_TS, K_LAT, K_RES, K_SCORE, K_MEAN, K_STDEV];
const LAT_ORDER = [quoted('latency_ms'), quoted('ok')];
const LAT_BITS = [K_LATENCY, K_OK];
const RES_ORDER = [quoted('cpu'), quoted('mem'), quoted('disk')];
const RES_BITS = [K_CPU, K_MEM, K_DISK];

// True when the bytes at p are `word`.
function hasWord(b: Uint8Array, p: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word[i]) return false;
  return true;
}

// Where the value of the key whose quote is at p starts, or SKIM_FAIL.
function valueAt(b: Uint8Array, p: number): number {
  if (b[p] !== 0x22) return SKIM_FAIL;
  const end = skipString(b, p + 1);
  return end < 0 || b[end] !== 0x3a ? SKIM_FAIL : end + 1;
}

/** Skims the line at s into v; returns the index of its '\n', or SKIM_FAIL. v.tsMs, v.tsUs and v.pos are the caller's. */
export function skimCheck(b: Buffer, s: number, v: CheckLine): number {
  v.reset(b);
  if (b[s] !== 0x7b) return SKIM_FAIL;
  let p = s + 1;
  let seen = 0;
  let next = 0;
  for (;;) {
    let bit: number;
    const word = TOP_ORDER[next];
    if (word !== undefined && hasWord(b, p, word)) {
      bit = TOP_BITS[next++] as number;
      p += word.length;
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
      return nested(b, at, v, LAT_ORDER, LAT_BITS, latKey);
    case K_RES: // not an object: no cpu, mem, disk
      return b[at] === 0x7b ? nested(b, at, v, RES_ORDER, RES_BITS, resKey) : skipValue(b, at, 1);
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

// The members of the object at p, calling read(bit, valueAt) for each (bit 0: a key not read); a key
// read twice fails. Keys are tried in `order` first.
function nested(b: Buffer, p: number, v: CheckLine, order: Uint8Array[], bits: number[], which: typeof latKey): number {
  if (b[p++] !== 0x7b) return SKIM_FAIL;
  if (b[p] === 0x7d) return p + 1;
  let seen = 0;
  let next = 0;
  for (;;) {
    let bit: number;
    const word = order[next];
    if (word !== undefined && hasWord(b, p, word)) {
      bit = bits[next++] as number;
      p += word.length;
    } else {
      const value = valueAt(b, p);
      if (value < 0) return SKIM_FAIL;
      bit = which(b, p + 1, value - p - 3);
      p = value;
    }
    if ((seen & bit) !== 0) return SKIM_FAIL;
    seen |= bit;
    p = which === latKey ? latValue(b, p, bit, v) : resValue(b, p, bit, v);
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

// A string ts (its bytes are decoded only when asked for).
function readTs(b: Buffer, at: number, v: CheckLine): number {
  if (b[at] !== 0x22) return SKIM_FAIL;
  const end = skipString(b, at + 1);
  v.tsStart = at + 1;
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
