// The keys of a check record that the skimmer reads, as bits, and the order this tool writes them in:
// the skimmer first tries the key that usually comes next. Each expected key is compared byte by byte
// with constants (a loop over a table of key bytes took a quarter of the skimmer's time).
import { bytesAre, keyBytes } from './json-skim.js';

/** Top-level keys (a repeated one declines the line: JSON.parse keeps the last, the skimmer the first). */
export const K_TS = 1;
export const K_LAT = 2;
export const K_RES = 4;
export const K_SCORE = 8;
export const K_MEAN = 16;
export const K_STDEV = 32;
export const K_REASONS = 64;
export const K_EVENT = 128;
/** Keys of `lat`. */
export const K_LATENCY = 1;
export const K_OK = 2;
/** Keys of `res`. */
export const K_CPU = 1;
export const K_MEM = 2;
export const K_DISK = 4;

const W_SCORE = keyBytes('score');
const W_STDEV = keyBytes('stdev');
const W_EVENT = keyBytes('event');
const W_REASONS = keyBytes('reasons');
const W_LATENCY = keyBytes('latency_ms');

// The three-letter key at `at` is x, y, z.
const is3 = (b: Uint8Array, at: number, x: number, y: number, z: number): boolean => b[at] === x && b[at + 1] === y && b[at + 2] === z;

/** The bit of the top-level key of `len` bytes at `at` (0: one the skimmer does not read). */
export function topKey(b: Uint8Array, at: number, len: number): number {
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

/** The bit of a key of `lat`. */
export function latKey(b: Uint8Array, at: number, len: number): number {
  if (len === 2) return b[at] === 0x6f && b[at + 1] === 0x6b ? K_OK : 0;
  return len === 10 && bytesAre(b, at, 10, W_LATENCY) ? K_LATENCY : 0;
}

/** The bit of a key of `res`. */
export function resKey(b: Uint8Array, at: number, len: number): number {
  if (len === 3) return is3(b, at, 0x63, 0x70, 0x75) ? K_CPU : is3(b, at, 0x6d, 0x65, 0x6d) ? K_MEM : 0;
  return len === 4 && is3(b, at, 0x64, 0x69, 0x73) && b[at + 3] === 0x6b ? K_DISK : 0;
}

// `"ts":`
const isTs = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x74 && b[p + 2] === 0x73 && b[p + 3] === 0x22 && b[p + 4] === 0x3a;
// `"lat":`
const isLat = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x6c && b[p + 2] === 0x61 && b[p + 3] === 0x74 && b[p + 4] === 0x22 &&
  b[p + 5] === 0x3a;
// `"res":`
const isRes = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x72 && b[p + 2] === 0x65 && b[p + 3] === 0x73 && b[p + 4] === 0x22 &&
  b[p + 5] === 0x3a;
// `"score":`
const isScore = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x73 && b[p + 2] === 0x63 && b[p + 3] === 0x6f && b[p + 4] === 0x72 &&
  b[p + 5] === 0x65 && b[p + 6] === 0x22 && b[p + 7] === 0x3a;
// `"mean":`
const isMean = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x6d && b[p + 2] === 0x65 && b[p + 3] === 0x61 && b[p + 4] === 0x6e &&
  b[p + 5] === 0x22 && b[p + 6] === 0x3a;
// `"stdev":`
const isStdev = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x73 && b[p + 2] === 0x74 && b[p + 3] === 0x64 && b[p + 4] === 0x65 &&
  b[p + 5] === 0x76 && b[p + 6] === 0x22 && b[p + 7] === 0x3a;
// `"latency_ms":`
const isLatency = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x6c && b[p + 2] === 0x61 && b[p + 3] === 0x74 && b[p + 4] === 0x65 &&
  b[p + 5] === 0x6e && b[p + 6] === 0x63 && b[p + 7] === 0x79 && b[p + 8] === 0x5f && b[p + 9] === 0x6d &&
  b[p + 10] === 0x73 && b[p + 11] === 0x22 && b[p + 12] === 0x3a;
// `"ok":`
const isOk = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x6f && b[p + 2] === 0x6b && b[p + 3] === 0x22 && b[p + 4] === 0x3a;
// `"http_status":`
const isHttpStatus = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x68 && b[p + 2] === 0x74 && b[p + 3] === 0x74 && b[p + 4] === 0x70 &&
  b[p + 5] === 0x5f && b[p + 6] === 0x73 && b[p + 7] === 0x74 && b[p + 8] === 0x61 && b[p + 9] === 0x74 &&
  b[p + 10] === 0x75 && b[p + 11] === 0x73 && b[p + 12] === 0x22 && b[p + 13] === 0x3a;
// `"cpu":`
const isCpu = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x63 && b[p + 2] === 0x70 && b[p + 3] === 0x75 && b[p + 4] === 0x22 &&
  b[p + 5] === 0x3a;
// `"mem":`
const isMem = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x6d && b[p + 2] === 0x65 && b[p + 3] === 0x6d && b[p + 4] === 0x22 &&
  b[p + 5] === 0x3a;
// `"disk":`
const isDisk = (b: Uint8Array, p: number): boolean =>
  b[p] === 0x22 && b[p + 1] === 0x64 && b[p + 2] === 0x69 && b[p + 3] === 0x73 && b[p + 4] === 0x6b &&
  b[p + 5] === 0x22 && b[p + 6] === 0x3a;

/** The length of `"key":` at p when it is the n-th top-level key this tool writes (ts, lat, res, score, mean, stdev), else 0. */
export function expectedTop(b: Uint8Array, p: number, n: number): number {
  switch (n) {
    case 0:
      return isTs(b, p) ? 5 : 0;
    case 1:
      return isLat(b, p) ? 6 : 0;
    case 2:
      return isRes(b, p) ? 6 : 0;
    case 3:
      return isScore(b, p) ? 8 : 0;
    case 4:
      return isMean(b, p) ? 7 : 0;
    case 5:
      return isStdev(b, p) ? 8 : 0;
    default:
      return 0;
  }
}
/** The bits of those keys. */
export const TOP_ORDER_BITS = [K_TS, K_LAT, K_RES, K_SCORE, K_MEAN, K_STDEV];

/** The same for `lat` (latency_ms, ok, http_status). */
export function expectedLat(b: Uint8Array, p: number, n: number): number {
  if (n === 0) return isLatency(b, p) ? 13 : 0;
  if (n === 1) return isOk(b, p) ? 5 : 0;
  return n === 2 && isHttpStatus(b, p) ? 14 : 0;
}
/** The bits of those keys (http_status is not read). */
export const LAT_ORDER_BITS = [K_LATENCY, K_OK, 0];

/** The same for `res` (cpu, mem, disk). */
export function expectedRes(b: Uint8Array, p: number, n: number): number {
  if (n === 0) return isCpu(b, p) ? 6 : 0;
  if (n === 1) return isMem(b, p) ? 6 : 0;
  return n === 2 && isDisk(b, p) ? 7 : 0;
}
/** The bits of those keys. */
export const RES_ORDER_BITS = [K_CPU, K_MEM, K_DISK];
