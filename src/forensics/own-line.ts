// The check record exactly as this tool writes it, its fixed text compared 4 bytes at a time (a third
// faster than key by key): {"ts":"…","lat":{"latency_ms":…,"ok":…[,"http_status":…]},"res":{"cpu":…,
// "mem":…,"disk":…},"score":…,"mean":…,"stdev":… with numbers or null, then the members that follow.
// latency and score are read; the other numbers are only validated and read if asked for (CheckLine.later).
// Each matcher below holds the bytes of the text in its comment as little-endian integers (a test
// checks every one against its text). Any difference is a miss: the key-by-key skimmer reads the line.
import { type CheckLine, SLOT } from './check-line.js';
import { numberEnd, readNumber } from './json-skim.js';

/** skimOwn: the line is not in this exact form. */
export const OWN_MISS = -2;
/** The longest fixed text and the room the first one needs before the end of the buffer. */
const ROOM = 64;
const HTTP_SLOT = SLOT.disk + 1;

// {"ts":"
const isOpen = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x7374227b &&
  d.getUint16(p + 4, true) === 0x3a22 &&
  d.getUint8(p + 6) === 0x22;
// ","lat":{"latency_ms":
const isLat = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x6c222c22 &&
  d.getUint32(p + 4, true) === 0x3a227461 &&
  d.getUint32(p + 8, true) === 0x616c227b &&
  d.getUint32(p + 12, true) === 0x636e6574 &&
  d.getUint32(p + 16, true) === 0x736d5f79 &&
  d.getUint16(p + 20, true) === 0x3a22;
// ,"ok":
const isOk = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x6b6f222c &&
  d.getUint16(p + 4, true) === 0x3a22;
// ,"http_status":
const isHttp = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x7468222c &&
  d.getUint32(p + 4, true) === 0x735f7074 &&
  d.getUint32(p + 8, true) === 0x75746174 &&
  d.getUint16(p + 12, true) === 0x2273 &&
  d.getUint8(p + 14) === 0x3a;
// },"res":{"cpu":
const isRes = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x72222c7d &&
  d.getUint32(p + 4, true) === 0x3a227365 &&
  d.getUint32(p + 8, true) === 0x7063227b &&
  d.getUint16(p + 12, true) === 0x2275 &&
  d.getUint8(p + 14) === 0x3a;
// ,"mem":
const isMem = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x656d222c &&
  d.getUint16(p + 4, true) === 0x226d &&
  d.getUint8(p + 6) === 0x3a;
// ,"disk":
const isDisk = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x6964222c &&
  d.getUint32(p + 4, true) === 0x3a226b73;
// },"score":
const isScore = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x73222c7d &&
  d.getUint32(p + 4, true) === 0x65726f63 &&
  d.getUint16(p + 8, true) === 0x3a22;
// ,"mean":
const isMean = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x656d222c &&
  d.getUint32(p + 4, true) === 0x3a226e61;
// ,"stdev":
const isStdev = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x7473222c &&
  d.getUint32(p + 4, true) === 0x22766564 &&
  d.getUint8(p + 8) === 0x3a;
// true
const isTrue = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x65757274;
// false
const isFalse = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x736c6166 &&
  d.getUint8(p + 4) === 0x65;
// null
const isNull = (d: DataView, p: number): boolean =>
  d.getUint32(p, true) === 0x6c6c756e;

/** The texts the matchers stand for, in order (for the test). */
export const OWN_TEXTS = ['{"ts":"', '","lat":{"latency_ms":', ',"ok":', ',"http_status":', '},"res":{"cpu":', ',"mem":', ',"disk":', '},"score":', ',"mean":', ',"stdev":', 'true', 'false', 'null'];
/** The matchers, in the same order (for the test). */
export const OWN_MATCHERS = [isOpen, isLat, isOk, isHttp, isRes, isMem, isDisk, isScore, isMean, isStdev, isTrue, isFalse, isNull];

// The members after lat.ok, in order: each a fixed key text, then a number or null.
const HTTP = 0;
const CPU = 1;
const MEM = 2;
const DISK = 3;
const SCORE = 4;
const MEAN = 5;
const STDEV = 6;
const MAX_EXACT_DIGITS = 15;
const POW10 = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * Reads the line at s when it starts in this tool's form, up to the value of `stdev`: returns the index
 * after that value (the caller looks at what follows), or OWN_MISS (v may be half filled: reset it).
 * The numbers are read here, in one loop, not by json-skim.ts's readNumber and numberEnd: as one function
 * V8 optimises it once, where helpers hot on their own were each compiled twice (alone, then inlined).
 * They read what those read: latency and score now (m / 10^k, readNumber for an exponent or more than 15
 * digits), the others validated and left for later (CheckLine.later).
 */
export function skimOwn(b: Buffer, d: DataView, s: number, v: CheckLine): number {
  if (s + ROOM > b.length || !isOpen(d, s)) return OWN_MISS;
  let p = s + 7;
  if (b[p + 27] !== 0x22 || !v.tsReader.canonical(b, p, v)) return OWN_MISS;
  v.tsRead = true;
  v.tsStart = p;
  v.tsEnd = p + 27;
  if (!isLat(d, (p += 27))) return OWN_MISS;
  p += 22;
  const f = v.f;
  let slot: number = SLOT.latency;
  let now = true;
  for (let next = HTTP; ; next++) {
    // The value at p: null leaves NaN; a number is read (now) or noted for later.
    let c = b[p] as number;
    if (c === 0x6e) {
      if (!isNull(d, p)) return OWN_MISS;
      p += 4;
    } else {
      const at = p;
      const neg = c === 0x2d;
      if (neg) c = b[++p] as number;
      let m = 0;
      let digits = 0;
      if (c === 0x30) c = b[++p] as number;
      else if (c >= 0x31 && c <= 0x39) {
        do {
          m = m * 10 + (c - 0x30);
          digits++;
          c = b[++p] as number;
        } while (c >= 0x30 && c <= 0x39);
      } else return OWN_MISS;
      let frac = 0;
      if (c === 0x2e) {
        c = b[++p] as number;
        if (!(c >= 0x30 && c <= 0x39)) return OWN_MISS;
        do {
          m = m * 10 + (c - 0x30);
          frac++;
          c = b[++p] as number;
        } while (c >= 0x30 && c <= 0x39);
      }
      if (c === 0x65 || c === 0x45) {
        p = now ? readNumber(b, at, f, slot) : numberEnd(b, at); // rare: JSON.parse's own reading
        if (p < 0) return OWN_MISS;
      } else if (now && digits + frac > MAX_EXACT_DIGITS) readNumber(b, at, f, slot);
      else if (now) {
        const x = m / (POW10[frac] as number);
        f[slot] = neg ? -x : x;
      }
      if (!now) {
        v.numAt[slot] = at;
        v.pending |= 1 << slot;
      }
    }
    if (p + ROOM > b.length) return OWN_MISS;
    switch (next) {
      case HTTP: // after the latency: ok, then http_status or not
        if (!isOk(d, p)) return OWN_MISS;
        p += 6;
        if (isTrue(d, p)) v.okCode = 1;
        else if (isFalse(d, p)) v.okCode = 0;
        else return OWN_MISS;
        p += 4 + (1 - v.okCode); // true or false
        now = false;
        if (isHttp(d, p)) {
          p += 15;
          slot = HTTP_SLOT;
          break;
        }
        next = CPU; // no http_status: cpu's key follows
        if (!isRes(d, p)) return OWN_MISS;
        p += 15;
        slot = SLOT.cpu;
        break;
      case CPU:
        if (!isRes(d, p)) return OWN_MISS;
        p += 15;
        slot = SLOT.cpu;
        break;
      case MEM:
        if (!isMem(d, p)) return OWN_MISS;
        p += 7;
        slot = SLOT.mem;
        break;
      case DISK:
        if (!isDisk(d, p)) return OWN_MISS;
        p += 8;
        slot = SLOT.disk;
        break;
      case SCORE:
        if (!isScore(d, p)) return OWN_MISS;
        p += 10;
        slot = SLOT.score;
        now = true;
        break;
      case MEAN:
        if (!isMean(d, p)) return OWN_MISS;
        p += 8;
        slot = SLOT.mean;
        now = false;
        break;
      case STDEV:
        if (!isStdev(d, p)) return OWN_MISS;
        p += 9;
        slot = SLOT.stdev;
        break;
      default:
        return p; // after stdev's value
    }
  }
}
