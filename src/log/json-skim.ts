// Byte-level JSON for the fast log readers (the report, the daemon's rebuild). Each function takes the
// bytes and a position and returns the position after what it read, or SKIM_FAIL where the text is not
// the compact JSON this tool writes (a space, an escape, a control byte, a nesting past MAX_DEPTH): the
// caller then hands the whole line to JSON.parse. None reads past a '\n' or a 0 byte (both control
// bytes), so a line never runs into the next.

/** Returned where the fast path declines the text. */
export const SKIM_FAIL = -1;
/** Deeper values are left to JSON.parse. */
const MAX_DEPTH = 32;
// A mantissa of this many digits or fewer is exact in a double, and so is m / 10^k (k <= 15).
const MAX_EXACT_DIGITS = 15;
const POW10 = Array.from({ length: MAX_EXACT_DIGITS + 1 }, (_, k) => 10 ** k);

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const D0 = 0x30;
const D1 = 0x31;
const D9 = 0x39;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;

const isDigit = (c: number): boolean => c >= D0 && c <= D9;

/** The end of a string whose opening quote is at p - 1: after its closing quote. Fails on escapes and control bytes. */
export function skipString(b: Uint8Array, p: number): number {
  for (;;) {
    const c = b[p++] as number;
    if (c === QUOTE) return p;
    if (c === BACKSLASH || c < 0x20) return SKIM_FAIL;
  }
}

// The end of the exponent whose 'e' is at p, or a failure.
function exponentEnd(b: Uint8Array, p: number): number {
  let c = b[++p] as number;
  if (c === PLUS || c === MINUS) c = b[++p] as number;
  if (!isDigit(c)) return SKIM_FAIL;
  while (isDigit(c)) c = b[++p] as number;
  return p;
}

/**
 * Reads the JSON number at p into out[slot], exactly as JSON.parse would: up to 15 digits without an
 * exponent as m / 10^k (both exact, so the division rounds correctly), anything else through Number().
 */
export function readNumber(b: Uint8Array, p: number, out: Float64Array, slot: number): number {
  const start = p;
  let c = b[p] as number;
  const neg = c === MINUS;
  if (neg) c = b[++p] as number;
  let m = 0;
  let digits = 0;
  if (c === D0) c = b[++p] as number;
  else if (c >= D1 && c <= D9) {
    do {
      m = m * 10 + (c - D0);
      digits++;
      c = b[++p] as number;
    } while (isDigit(c));
  } else return SKIM_FAIL;
  let frac = 0;
  if (c === DOT) {
    c = b[++p] as number;
    if (!isDigit(c)) return SKIM_FAIL;
    do {
      m = m * 10 + (c - D0);
      frac++;
      c = b[++p] as number;
    } while (isDigit(c));
  }
  if (c === 0x65 || c === 0x45) p = exponentEnd(b, p);
  else if (digits + frac <= MAX_EXACT_DIGITS) {
    const v = m / (POW10[frac] as number);
    out[slot] = neg ? -v : v;
    return p;
  }
  if (p >= 0) out[slot] = Number(Buffer.from(b.buffer, b.byteOffset + start, p - start).toString('latin1'));
  return p;
}

/** Validates the JSON number at p and returns its end (what readNumber returns, without reading it). */
export function numberEnd(b: Uint8Array, p: number): number {
  let c = b[p] as number;
  if (c === MINUS) c = b[++p] as number;
  if (c === D0) c = b[++p] as number;
  else if (c >= D1 && c <= D9) while (isDigit(c)) c = b[++p] as number;
  else return SKIM_FAIL;
  if (c === DOT) {
    c = b[++p] as number;
    if (!isDigit(c)) return SKIM_FAIL;
    while (isDigit(c)) c = b[++p] as number;
  }
  return c === 0x65 || c === 0x45 ? exponentEnd(b, p) : p;
}

// The literal `word` at p (true, false, null), or a failure.
function literal(b: Uint8Array, p: number, word: Uint8Array): number {
  for (let i = 0; i < word.length; i++) if (b[p + i] !== word[i]) return SKIM_FAIL;
  return p + word.length;
}

// `true`, `false` and `null` as bytes.
const TRUE = Uint8Array.from([0x74, 0x72, 0x75, 0x65]);
const FALSE = Uint8Array.from([0x66, 0x61, 0x6c, 0x73, 0x65]);
const NULL = Uint8Array.from([0x6e, 0x75, 0x6c, 0x6c]);

/** Validates any JSON value at p (depth counts the enclosing objects and arrays) and returns its end. */
export function skipValue(b: Uint8Array, p: number, depth: number): number {
  const c = b[p] as number;
  if (c === QUOTE) return skipString(b, p + 1);
  if (c === LBRACE) return depth >= MAX_DEPTH ? SKIM_FAIL : skipObject(b, p + 1, depth + 1);
  if (c === LBRACKET) return depth >= MAX_DEPTH ? SKIM_FAIL : skipArray(b, p + 1, depth + 1);
  if (c === 0x74) return literal(b, p, TRUE);
  if (c === 0x66) return literal(b, p, FALSE);
  if (c === 0x6e) return literal(b, p, NULL);
  return numberEnd(b, p);
}

function skipObject(b: Uint8Array, p: number, depth: number): number {
  if (b[p] === RBRACE) return p + 1;
  for (;;) {
    if (b[p] !== QUOTE) return SKIM_FAIL;
    p = skipString(b, p + 1);
    if (p < 0 || b[p] !== COLON) return SKIM_FAIL;
    p = skipValue(b, p + 1, depth);
    if (p < 0) return SKIM_FAIL;
    const c = b[p++];
    if (c === RBRACE) return p;
    if (c !== COMMA) return SKIM_FAIL;
  }
}

function skipArray(b: Uint8Array, p: number, depth: number): number {
  if (b[p] === RBRACKET) return p + 1;
  for (;;) {
    p = skipValue(b, p, depth);
    if (p < 0) return SKIM_FAIL;
    const c = b[p++];
    if (c === RBRACKET) return p;
    if (c !== COMMA) return SKIM_FAIL;
  }
}

/** True when the c is where a JSON number starts. */
export const startsNumber = (c: number): boolean => c === MINUS || isDigit(c);

/** True when the bytes from `at` spell `word` (a key, without quotes). */
export function bytesAre(b: Uint8Array, at: number, len: number, word: Uint8Array): boolean {
  if (len !== word.length) return false;
  for (let i = 0; i < len; i++) if (b[at + i] !== word[i]) return false;
  return true;
}

/** A key as bytes for bytesAre. */
export const keyBytes = (key: string): Uint8Array => Uint8Array.from(key, (ch) => ch.charCodeAt(0));
