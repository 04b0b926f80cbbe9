// Text from network data, made safe: a JSON value's text without recursion (JSON.stringify overflows the
// stack on a body nested a few thousand levels deep) and cut to a bound, and one-line printable excerpts.

// Control, format, surrogate, private-use, unassigned and line/paragraph separator characters.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/gu;

/** A text made safe for a one-line log detail: unprintables become '?', cut to `max` characters with '…'. */
export function printable(text: string, max: number): string {
  const head = text.length > max * 2 + 2 ? text.slice(0, max * 2 + 2) : text;
  const chars = Array.from(head.replace(UNPRINTABLE, '?'));
  return chars.length <= max && head.length === text.length ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

type Frame = { items: unknown[]; keys: string[] | null; next: number };

/** The minified JSON text of a parsed value (as JSON.stringify writes it), stopping once it is longer than `maxChars`. */
export function jsonText(value: unknown, maxChars: number): string {
  let out = '';
  const stack: Frame[] = [];
  let pending: unknown = value;
  let hasPending = true;
  while (out.length <= maxChars) {
    if (hasPending) {
      hasPending = false;
      if (Array.isArray(pending)) {
        out += '[';
        stack.push({ items: pending, keys: null, next: 0 });
      } else if (typeof pending === 'object' && pending !== null) {
        out += '{';
        const keys = Object.keys(pending);
        stack.push({ items: keys.map((k) => (pending as Record<string, unknown>)[k]), keys, next: 0 });
      } else {
        out += JSON.stringify(pending) ?? 'null';
      }
      continue;
    }
    const top = stack.at(-1);
    if (top === undefined) break;
    if (top.next >= top.items.length) {
      out += top.keys === null ? ']' : '}';
      stack.pop();
      continue;
    }
    if (top.next > 0) out += ',';
    if (top.keys !== null) out += `${JSON.stringify(top.keys[top.next])}:`;
    pending = top.items[top.next];
    hasPending = true;
    top.next += 1;
  }
  return out;
}

/** The text a JSON value compares as: a string's own text, else its JSON text (true, 42, null, {"a":1}). */
export function valueText(value: unknown, maxChars: number): string {
  return typeof value === 'string' ? value : jsonText(value, maxChars);
}
