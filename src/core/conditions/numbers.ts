// Numbers as conditions read and write them: decimal numbers, and durations (`48h`, `1h30m`, `7d`, `500ms`)
// as milliseconds, as Gatus compares [CERTIFICATE_EXPIRATION] and [RESPONSE_TIME].

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The number a text stands for (a decimal number, or a duration in ms); null when it is neither. */
export function numberOf(text: string): number | null {
  const t = text.trim();
  if (NUMBER.test(t)) return finite(Number(t));
  if (!DURATION.test(t)) return null;
  let ms = 0;
  for (const m of t.matchAll(PART)) ms += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  return finite(ms);
}

/** True when a text is a plain decimal number (not a duration). */
export function isDecimal(text: string): boolean {
  return NUMBER.test(text.trim());
}

/** Milliseconds as a compact duration for a reason: `52d3h`, `23h59m`, `12m5s`, `0s`; negative with a '-'. */
export function formatSpan(ms: number): string {
  let rest = Math.floor(Math.abs(ms) / 1000);
  const first = SPAN_UNITS.findIndex(([, size]) => rest >= size);
  if (first < 0) return '0s';
  const parts = SPAN_UNITS.slice(first, first + 2).map(([unit, size]) => {
    const n = Math.floor(rest / size);
    rest -= n * size;
    return n > 0 ? `${n}${unit}` : '';
  });
  return `${ms < 0 ? '-' : ''}${parts.join('')}`;
}

const SPAN_UNITS = [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const;
const finite = (n: number): number | null => (Number.isFinite(n) ? n : null);
