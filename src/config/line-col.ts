// Positions in config text, as editors show them.

/** "line L, column C" of an offset in text (both from 1). */
export function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  return `line ${before.split('\n').length}, column ${offset - before.lastIndexOf('\n')}`;
}
