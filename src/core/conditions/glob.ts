// pat(): Gatus's glob patterns (Go's filepath.Match without path separators): `*` any run of characters,
// `?` one character, `[abc]`, `[a-z]`, `[^a]` a character class, `\x` a literal x. Matched in O(text × pattern)
// with one backtracking point, never exponentially (a regex of several `.*` can be on a 1 MiB body).

/** One element of a parsed glob. */
export type GlobToken = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; char: string } | { kind: 'class'; negated: boolean; ranges: [string, string][] };

/** Parses a glob; an error names the 0-based character of an unclosed class or a trailing backslash. */
export function parseGlob(glob: string): { ok: true; tokens: GlobToken[] } | { ok: false; message: string; index: number } {
  const chars = Array.from(glob);
  const tokens: GlobToken[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c === '*') tokens.push({ kind: 'star' });
    else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '\\') {
      if (i + 1 >= chars.length) return { ok: false, message: 'the pattern ends with a backslash; write \\\\ for a backslash', index: i };
      tokens.push({ kind: 'char', char: chars[++i] as string });
    } else if (c === '[') {
      const cls = parseClass(chars, i);
      if (cls === null) return { ok: false, message: 'unclosed [ in the pattern; close the character class with ] or write \\[', index: i };
      tokens.push(cls.token);
      i = cls.end;
    } else tokens.push({ kind: 'char', char: c });
  }
  return { ok: true, tokens };
}

function parseClass(chars: string[], start: number): { token: GlobToken; end: number } | null {
  let i = start + 1;
  const negated = chars[i] === '^' || chars[i] === '!';
  if (negated) i++;
  const ranges: [string, string][] = [];
  for (; i < chars.length; i++) {
    let c = chars[i] as string;
    if (c === ']' && ranges.length > 0) return { token: { kind: 'class', negated, ranges }, end: i };
    if (c === '\\' && i + 1 < chars.length) c = chars[++i] as string;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      ranges.push([c, chars[i + 2] as string]);
      i += 2;
    } else ranges.push([c, c]);
  }
  return null;
}

/** True when the whole `text` matches the parsed glob. */
export function matchGlob(tokens: readonly GlobToken[], text: string): boolean {
  const chars = Array.from(text);
  let t = 0;
  let c = 0;
  let starT = -1;
  let starC = 0;
  while (c < chars.length) {
    const token = tokens[t];
    if (token?.kind === 'star') {
      starT = t++;
      starC = c;
    } else if (token !== undefined && matchesOne(token, chars[c] as string)) {
      t++;
      c++;
    } else if (starT >= 0) {
      t = starT + 1;
      c = ++starC;
    } else return false;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

function matchesOne(token: GlobToken, char: string): boolean {
  if (token.kind === 'any') return true;
  if (token.kind === 'char') return token.char === char;
  if (token.kind === 'class') return token.ranges.some(([lo, hi]) => char >= lo && char <= hi) !== token.negated;
  return false;
}
