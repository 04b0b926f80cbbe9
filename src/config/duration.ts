// Durations as users write them: "250ms", "10s", "5m", "1h", "1h30m", "2d", or a number of seconds. Each
// unit once, largest first (as Go's time.ParseDuration reads them, and as people write them): "5m5m" or
// "30s1m" is a mistake, not 10m or 1m30s.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** Parses a duration to milliseconds; returns null when the value is not a duration. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value * 1000) ? value * 1000 : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return finite(Number(text) * 1000);
  const parts = durationParts(text);
  if (parts === null || unitOrderProblem(parts) !== null) return null;
  return finite(parts.reduce((total, [n, unit]) => total + n * (UNIT_MS[unit] as number), 0));
}

// The number-unit pairs of a duration string, or null when it is not made of them alone.
function durationParts(text: string): [number, string][] | null {
  const parts: [number, string][] = [];
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const start = PART.lastIndex;
    const m = PART.exec(text);
    if (!m || m.index !== start) return null;
    parts.push([Number(m[1]), m[2] as string]);
  }
  return parts;
}

function unitOrderProblem(parts: [number, string][]): string | null {
  for (let i = 1; i < parts.length; i++) {
    const [unit, before] = [(parts[i] as [number, string])[1], (parts[i - 1] as [number, string])[1]];
    const earlier = parts.slice(0, i).some(([, u]) => u === unit);
    if (earlier) return `names the unit "${unit}" twice`;
    if ((UNIT_MS[unit] as number) > (UNIT_MS[before] as number)) return `names "${unit}" after the smaller "${before}"`;
  }
  return null;
}

/** Why a string of number-unit pairs is still not a duration ("names the unit "m" twice"); null otherwise. */
export function durationUnitProblem(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const parts = durationParts(value.trim());
  return parts === null ? null : unitOrderProblem(parts);
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
