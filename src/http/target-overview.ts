// The overview of a guard with `targets:` (GET /api/targets): one row per target, its state, its last
// latencies (a sparkline), its last incident and its heal budget, the worst first. Pure: the rows come
// from the daemon's memory (fleet-memory.ts) or, for a target it has not cycled yet, from its log's tail
// (target-tail.ts); this module ranks, sorts and counts them.

/** A target's state on the overview, worst first in STATE_ORDER. */
export type TargetState = 'HEALING_OFF' | 'CRITICAL' | 'WARNING' | 'UNKNOWN' | 'OK';
/** The states, worst first: healing off (a fault nothing will heal) before a critical one. */
export const STATE_ORDER: readonly TargetState[] = ['HEALING_OFF', 'CRITICAL', 'WARNING', 'UNKNOWN', 'OK'];
/** How many latencies a row's sparkline holds at most. */
export const SPARK_POINTS = 30;

/** One target's row (docs/http-api.md, GET /api/targets). */
export interface TargetRow {
  target: string;
  state: TargetState;
  /** The newest check's time and latency (null before any). */
  checked_at: string | null;
  latency_ms: number | null;
  /** The last SPARK_POINTS latencies, oldest first; `failed` lists the indexes of failed probes among them. */
  latencies: number[];
  failed: number[];
  last_incident: { ts: string; reasons: string[] } | null;
  heals_last_hour: number;
  max_per_hour: number;
  /** daemon: the daemon's memory of its own cycles; log: the log's tail (no cycle of this daemon yet);
   * pending: not read yet (the read's time budget ran out; a later request goes on). */
  source: 'daemon' | 'log' | 'pending';
}

/** The body of GET /api/targets. */
export interface TargetsBody {
  updated_at: string;
  count: number;
  /** How many targets are in each state. */
  states: Record<TargetState, number>;
  targets: TargetRow[];
}

/** The rows sorted worst first (then by name), with the counts per state. */
export function overviewBody(rows: TargetRow[], updatedAt: string): TargetsBody {
  const rank = (s: TargetState): number => STATE_ORDER.indexOf(s);
  const sorted = [...rows].sort((a, b) => rank(a.state) - rank(b.state) || (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  const states = Object.fromEntries(STATE_ORDER.map((s) => [s, 0])) as Record<TargetState, number>;
  for (const r of sorted) states[r.state] += 1;
  return { updated_at: updatedAt, count: sorted.length, states, targets: sorted };
}

/** Healing is off: the budget latched off, or the hour's heals are spent. */
export function healingOff(latched: boolean, healsLastHour: number, maxPerHour: number): boolean {
  return latched || (maxPerHour > 0 && healsLastHour >= maxPerHour);
}
