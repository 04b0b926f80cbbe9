// The start of a parsed JSON value's text, for a one-line detail, without recursion: a body value nested
// 500,000 levels deep (1 MiB of "[") overflows JSON.stringify's stack, and a large one need not be
// serialised whole to show its first characters.

type Frame = { kind: 'array'; items: unknown[]; i: number } | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; i: number };

/** JSON.stringify(value) cut after at least `minChars` characters (whole when shorter); `value` is what
 * JSON.parse returns (null, booleans, numbers, strings, arrays, plain objects). */
export function jsonPreview(value: unknown, minChars: number): string {
  const out: string[] = [];
  let size = 0;
  const emit = (text: string): void => {
    out.push(text);
    size += text.length;
  };
  const stack: Frame[] = [];
  let next: { value: unknown } | null = { value };
  while (size <= minChars) {
    if (next) {
      open(next.value, emit, stack);
      next = null;
      continue;
    }
    const top = stack.at(-1);
    if (!top) break;
    next = step(top, emit);
    if (!next) stack.pop();
  }
  return out.join('');
}

// Writes a scalar whole, or the opening bracket of a container (pushed to be walked).
function open(value: unknown, emit: (text: string) => void, stack: Frame[]): void {
  if (Array.isArray(value)) {
    emit('[');
    stack.push({ kind: 'array', items: value, i: 0 });
  } else if (typeof value === 'object' && value !== null) {
    emit('{');
    stack.push({ kind: 'object', obj: value as Record<string, unknown>, keys: Object.keys(value), i: 0 });
  } else {
    emit(JSON.stringify(value) ?? 'null');
  }
}

// Writes the separator (and key) before the container's next member and returns it; at the end, writes
// the closing bracket and returns null.
function step(top: Frame, emit: (text: string) => void): { value: unknown } | null {
  const length = top.kind === 'array' ? top.items.length : top.keys.length;
  if (top.i >= length) {
    emit(top.kind === 'array' ? ']' : '}');
    return null;
  }
  if (top.i > 0) emit(',');
  const i = top.i++;
  if (top.kind === 'array') return { value: top.items[i] };
  const key = top.keys[i] as string;
  emit(`${JSON.stringify(key)}:`);
  return { value: top.obj[key] };
}
