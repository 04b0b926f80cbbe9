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

// A number or null at p into f[slot] (null leaves NaN); a miss when the buffer has no room for what follows.
function numberOrNull(b: Uint8Array, d: DataView, p: number, f: Float64Array, slot: number): number {
  const end = b[p] === 0x6e ? (isNull(d, p) ? p + 4 : OWN_MISS) : readNumber(b, p, f, slot);
  return end < 0 || end + ROOM > b.length ? OWN_MISS : end; // b.length: TurboFan inlines it, not a DataView's byteLength
}

// A number or null at p left unread: where it is goes to v (null leaves NaN), its value is read when asked.
function laterOrNull(b: Uint8Array, d: DataView, p: number, v: CheckLine, slot: number): number {
  const end = b[p] === 0x6e ? (isNull(d, p) ? p + 4 : OWN_MISS) : v.later(numberEnd(b, p), p, slot);
  return end < 0 || end + ROOM > b.length ? OWN_MISS : end;
}

/**
 * Reads the line at s when it starts in this tool's form, up to the value of `stdev`: returns the index
 * after that value (the caller looks at what follows), or OWN_MISS (v may be half filled: reset it).
 */
export function skimOwn(b: Buffer, d: DataView, s: number, v: CheckLine): number {
  if (s + ROOM > b.length || !isOpen(d, s)) return OWN_MISS;
  let p = s + 7;
  if (b[p + 27] !== 0x22 || !v.tsReader.canonical(b, p, v)) return OWN_MISS;
  v.tsRead = true;
  v.tsStart = p;
  v.tsEnd = p + 27;
  const f = v.f;
  if (!isLat(d, (p += 27)) || (p = numberOrNull(b, d, p + 22, f, SLOT.latency)) < 0 || !isOk(d, p)) return OWN_MISS;
  p += 6;
  if (isTrue(d, p)) v.okCode = 1;
  else if (isFalse(d, p)) v.okCode = 0;
  else return OWN_MISS;
  p += 4 + (1 - v.okCode); // true or false
  if (isHttp(d, p) && (p = laterOrNull(b, d, p + 15, v, HTTP_SLOT)) < 0) return OWN_MISS;
  if (!isRes(d, p) || (p = laterOrNull(b, d, p + 15, v, SLOT.cpu)) < 0) return OWN_MISS;
  if (!isMem(d, p) || (p = laterOrNull(b, d, p + 7, v, SLOT.mem)) < 0) return OWN_MISS;
  if (!isDisk(d, p) || (p = laterOrNull(b, d, p + 8, v, SLOT.disk)) < 0) return OWN_MISS;
  if (!isScore(d, p) || (p = numberOrNull(b, d, p + 10, f, SLOT.score)) < 0) return OWN_MISS;
  if (!isMean(d, p) || (p = laterOrNull(b, d, p + 8, v, SLOT.mean)) < 0) return OWN_MISS;
  if (!isStdev(d, p)) return OWN_MISS;
  return laterOrNull(b, d, p + 9, v, SLOT.stdev);
}
