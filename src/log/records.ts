// The log records of CONTRACT.md, declared once: writers and readers share these shapes.

/** One cycle's result: the seed's check record (no `event` field). */
export interface CheckRecord {
  ts: string;
  lat: { latency_ms: number; ok: boolean; http_status?: number | null; error?: string | null };
  res: { cpu: number | null; mem: number | null; disk: number | null };
  score: number | null;
  mean: number | null;
  stdev: number | null;
  /** Every finding of this cycle, whatever its action (added field). */
  reasons?: string[];
}

/** A finding whose action is `heal`, logged before the heal runs. */
export interface AnomalyTriggerRecord {
  event: 'anomaly_trigger';
  ts: string;
  reasons: string[];
  latency: number;
  score: number | null;
  cpu: number | null;
  mem: number | null;
  disk: number | null;
}

/** The outcome of a heal command run. */
export interface SelfHealRecord {
  event: 'self_heal';
  ts: string;
  command: string[];
  exit_code: number | null;
  signal: string | null;
  timed_out: boolean;
  duration_ms: number;
  stdout_tail: string;
  stderr_tail: string;
  /** Set when the command could not be started (ENOENT, EACCES…). */
  error?: string;
  /** True when the cycle was aborted (cycle_timeout, shutdown) while the heal ran. */
  aborted?: boolean;
}

/** Why a due heal did not run. */
export type SuppressWhy = 'cooldown' | 'rate_limit' | 'no_command' | 'in_progress';

/** A heal was due but did not run. */
export interface HealSuppressedRecord {
  event: 'heal_suppressed';
  ts: string;
  why: SuppressWhy;
  /** Human detail: when the cooldown ends, how many heals in the last hour, which pid holds the heal. */
  detail?: string;
}

/** The re-probe after a heal. */
export interface HealVerifyRecord {
  event: 'heal_verify';
  ts: string;
  recovered: boolean;
  latency_ms: number;
  error?: string | null;
}

/** A finding whose action is `alert`. */
export interface ResourceWarningRecord {
  event: 'resource_warning';
  ts: string;
  reasons: string[];
  cpu: number | null;
  mem: number | null;
  disk: number | null;
}

/** A cycle aborted at `cycle_timeout`. */
export interface CycleTimeoutRecord {
  event: 'cycle_timeout';
  ts: string;
  timeout_ms: number;
}

/** Any record this tool writes. */
export type EventRecord =
  | AnomalyTriggerRecord
  | SelfHealRecord
  | HealSuppressedRecord
  | HealVerifyRecord
  | ResourceWarningRecord
  | CycleTimeoutRecord;

/** Any record this tool writes. */
export type GuardRecord = CheckRecord | EventRecord;

/** True when a parsed line is a check record (it has `lat` and no `event`). */
export function isCheckRecord(value: unknown): value is CheckRecord {
  if (typeof value !== 'object' || value === null) return false;
  const rec = value as Record<string, unknown>;
  return rec.event === undefined && typeof rec.lat === 'object' && rec.lat !== null;
}

/** True when a parsed line is an event record of the given kind. */
export function isEvent<K extends EventRecord['event']>(
  value: unknown,
  kind: K,
): value is Extract<EventRecord, { event: K }> {
  return typeof value === 'object' && value !== null && (value as { event?: unknown }).event === kind;
}
