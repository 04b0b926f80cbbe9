// Durations as users write them: "250ms", "10s", "5m", "1h", "1h30m", "2d", or a number of seconds.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Parses a duration to milliseconds; returns null when the value is not a duration. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value * 1000) ? value * 1000 : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return finite(Number(text) * 1000);
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== start) return null;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return finite(total);
}

// A number too large for a double (a 400-digit string) is not a duration.
const finite = (ms: number): number | null => (Number.isFinite(ms) ? ms : null);

/** Formats milliseconds back to the shortest readable duration ("1500ms", "10s", "5m", "1h"). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
