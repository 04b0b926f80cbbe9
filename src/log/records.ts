// The log records of CONTRACT.md, declared once: writers and readers share these shapes.

/** The probe's part of a check record. */
export interface CheckLatency {
  /** The request's own time, to the end of the body or the failure (curl's time_total). */
  latency_ms: number;
  ok: boolean;
  http_status?: number | null;
  error?: string | null;
  attempts?: number;
  /** When each phase of the (last hop of the) request ended, from its start, when reached (added fields):
   * name resolved, TCP connected, TLS handshake done (https), first byte of the response. */
  dns_ms?: number;
  connect_ms?: number;
  tls_ms?: number;
  first_byte_ms?: number;
}

/** One cycle's result: the seed's check record (no `event` field). */
export interface CheckRecord {
  ts: string;
  lat: CheckLatency;
  res: { cpu: number | null; mem: number | null; disk: number | null };
  score: number | null;
  mean: number | null;
  stdev: number | null;
  /** The latency detector's verdict when it is not the seed's zscore (added field). */
  detector?: { name: string; score: number; anomaly: boolean };
  /** Set when this record's time is earlier than the newest one in the log: the wall clock went back (ms). */
  clock_back_ms?: number;
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

/** A heal is about to run; with no self_heal after it (a crash mid-heal), it still counts as a heal. */
export interface HealStartRecord {
  event: 'heal_start';
  ts: string;
  command: string[];
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
export type SuppressWhy = 'cooldown' | 'rate_limit' | 'no_command' | 'in_progress' | 'unconfirmed' | 'grace' | 'backoff' | 'exhausted';

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

/** The heal budget was spent (max_per_hour reached); healing stops until it refills or is reset. */
export interface HealBudgetExhaustedRecord {
  event: 'heal_budget_exhausted';
  ts: string;
  heals_last_hour: number;
  max_per_hour: number;
  /** True when heal.stop_when_exhausted latches healing off until healthy for resume_after or reset. */
  latched: boolean;
}

/** Healing may go on again: the budget was reset by hand (`heal-reset`, SIGUSR1) or the service stayed healthy. */
export interface HealResumedRecord {
  event: 'heal_resumed';
  ts: string;
  why: 'manual' | 'healthy';
  detail?: string;
}

/** The findings of an incident cleared: the first clean check after one with findings. */
export interface RecoveredRecord {
  event: 'recovered';
  ts: string;
  /** The reasons of the last check that had findings. */
  cleared: string[];
  /** From the first check with findings of this incident to now. */
  duration_ms: number | null;
}

/** An alert went out (or failed): the state behind alert.repeat. */
export interface AlertSentRecord {
  event: 'alert_sent';
  ts: string;
  /** What the alert is about: the record's event and reason types, e.g. "resource_warning:disk_warning". */
  key: string;
  channels: string[];
  ok: boolean;
}

/** Any record this tool writes. */
export type EventRecord =
  | HealStartRecord
  | HealBudgetExhaustedRecord
  | HealResumedRecord
  | RecoveredRecord
  | AlertSentRecord
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
