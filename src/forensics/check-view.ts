// What the forensics read from a check record, one shape whether the fast path skimmed the line's bytes
// or JSON.parse built the object: checkViewOf defines the meaning, and the skimmer must agree with it.

/** A time in the log: the record's ts as written and as epoch ms. */
export interface TimePoint {
  readonly ts: string;
  readonly tsMs: number;
}

/**
 * One check record (`lat` an object, no `event`). Numbers are null where the record has no number;
 * `reasons` holds the string items of its `reasons` array. A view handed to a sink is valid during the
 * call only: copy what you keep.
 */
export interface CheckView extends TimePoint {
  /**
   * The ts as whole µs since the epoch when ts is that instant's own text (tsTextOfUs(tsUs) === ts), else
   * NaN: what a reader can keep instead of building the text of every line.
   */
  readonly tsUs: number;
  /** The line's place in the scan: later lines have larger values. */
  readonly pos: number;
  /** lat.ok when it is a boolean. */
  readonly ok: boolean | null;
  readonly latencyMs: number | null;
  readonly score: number | null;
  readonly mean: number | null;
  readonly stdev: number | null;
  readonly cpu: number | null;
  readonly mem: number | null;
  readonly disk: number | null;
  readonly reasons: readonly string[];
}

/** An empty reasons list, shared. */
export const NO_REASONS: readonly string[] = Object.freeze([]);

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/** True when a parsed record is a check record. */
export function isCheckObject(rec: Record<string, unknown>): boolean {
  return rec.event === undefined && typeof rec.lat === 'object' && rec.lat !== null;
}

/** The view of a parsed check record (the reference the byte skimmer is tested against). */
export function checkViewOf(rec: Record<string, unknown>, tsMs: number, pos: number): CheckView {
  const lat = obj(rec.lat);
  const res = obj(rec.res);
  const reasons = Array.isArray(rec.reasons) ? rec.reasons.filter((r): r is string => typeof r === 'string') : NO_REASONS;
  return {
    ts: typeof rec.ts === 'string' ? rec.ts : '',
    tsMs,
    tsUs: Number.NaN,
    pos,
    ok: typeof lat.ok === 'boolean' ? lat.ok : null,
    latencyMs: num(lat.latency_ms),
    score: num(rec.score),
    mean: num(rec.mean),
    stdev: num(rec.stdev),
    cpu: num(res.cpu),
    mem: num(res.mem),
    disk: num(res.disk),
    reasons: reasons.length === 0 ? NO_REASONS : reasons,
  };
}
