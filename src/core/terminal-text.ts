// Text from the log or the network made safe for a terminal (pure). Control characters (C0, DEL, C1), bidi
// controls, line and paragraph separators and lone surrogates are written as visible escapes (`\x1b`,
// `\u202e`), so an ANSI sequence in a record can neither drive the terminal nor pass for our own output;
// and one record prints at most MAX_RECORD_CHARS, saying how much was cut.

/** The most characters one record prints in human output (--json prints it whole). */
export const MAX_RECORD_CHARS = 1000;

const UNSAFE = /[\p{Cc}\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;
const UNSAFE_KEEP_NEWLINE = /[^\n\P{Cc}]|[\p{Cs}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;
const SHORT: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const hex = (c: string, digits: number): string => (c.codePointAt(0) ?? 0).toString(16).padStart(digits, '0');
const escape = (c: string): string => SHORT[c] ?? ((c.codePointAt(0) ?? 0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`);

/** One line of text with every unsafe character (newlines too) as a visible escape. */
export function visible(text: string): string {
  return text.replace(UNSAFE, escape);
}

/** Text of several lines: the same, but newlines stay. */
export function visibleLines(text: string): string {
  return text.replace(UNSAFE_KEEP_NEWLINE, escape);
}

/** JSON text whose unsafe characters are \u escapes: the same JSON value, nothing raw on the terminal. */
export function visibleJson(json: string): string {
  // JSON.stringify escapes C0 and lone surrogates already; DEL, C1 and the rest can only be inside strings.
  return json.replace(UNSAFE_KEEP_NEWLINE, (c) => `\\u${hex(c, 4)}`);
}

/** A line cut to `max` characters, saying how many more there were and where to see them whole. */
export function bounded(line: string, max = MAX_RECORD_CHARS, whole = '--json'): string {
  if (line.length <= max) return line;
  const cut = /[\ud800-\udbff]/.test(line.charAt(max - 1)) ? max - 1 : max; // not between a surrogate pair
  return `${line.slice(0, cut)}… [${line.length - cut} more characters; ${whole} prints the whole record]`;
}

/** A record's human line as it reaches the terminal: escaped, then bounded. */
export function terminalLine(line: string, whole = '--json'): string {
  return bounded(visible(line), MAX_RECORD_CHARS, whole);
}
