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
  /** health.keep_alive in the daemon only (added fields): whether the request went on a connection an earlier
   * probe left open, and `retried: true` when a reused connection the server had dropped was replaced by a new
   * one (that second request is the one timed). */
  reused?: boolean;
  retried?: boolean;
  /** `run` only, when every probe slot (max_concurrent_probes) was taken: how long this probe waited for one before its
   * clock started (not part of latency_ms) (added field). */
  queued_ms?: number;
  /** Quick re-probes that tried to confirm a latency anomaly (latency.confirm_probes), in order (added field). */
  reprobes?: { latency_ms: number; ok: boolean }[];
}

/** One cycle's result: the seed's check record (no `event` field). */
export interface CheckRecord {
  ts: string;
  lat: CheckLatency;
  res: {
    cpu: number | null;
    mem: number | null;
    disk: number | null;
    /** The /proc/stat reading the cpu figure ends with, for the next check's CPU over the interval (added field). */
    cpu_ticks?: { busy: number; total: number; btime: number | null };
    /** The span the cpu figure covers (added field). */
    cpu_span_ms?: number;
    /** The service's own figures (resources.service) and the counters the next check measures CPU from (added field). */
    service?: { name: string; cpu: number | null; mem: number | null; usage_us?: number; cpus?: number; source?: string; cpu_span_ms?: number };
  };
  score: number | null;
  mean: number | null;
  stdev: number | null;
  /** The latency detector's verdict when it is not the seed's zscore (added field). */
  detector?: { name: string; score: number; anomaly: boolean };
  /** Set when this record's time is earlier than the newest one in the log: the wall clock went back (ms). */
  clock_back_ms?: number;
  /** Every finding of this cycle, whatever its action (added field). */
  reasons?: string[];
  /** A latency anomaly that quick re-probes disproved (a blip): not a finding (added field). */
  dismissed?: string[];
  /** false: this latency stays out of the baseline (anomalous, or an incident is open; latency.learn: normal). */
  in_baseline?: false;
  /** How long the guard's own event loop was stalled while it probed (ms, added field): such a check stays out of
   * the baseline and its findings heal nothing. */
  stalled_ms?: number;
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
  /** How the heal's processes were kept track of: its own cgroup, or only its process group. */
  containment?: 'cgroup' | 'process_group';
  /** The heal's cgroup (its path in the cgroup v2 hierarchy), with containment cgroup. */
  cgroup?: string;
  /** Processes the heal started that still ran when it ended (at most 20; after a timeout, those that survived). */
  left_running?: { pid: number; comm: string }[];
}

/** Why a due heal did not run. */
export type SuppressWhy = 'cooldown' | 'rate_limit' | 'no_command' | 'in_progress' | 'unconfirmed' | 'grace' | 'backoff' | 'exhausted' | 'no_time' | 'dry_run';

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
  /** The heal did what it was for: the probe passes and the trigger's findings are gone. */
  recovered: boolean;
  latency_ms: number;
  error?: string | null;
  /** The re-probe's z-score against the pre-incident baseline, when the trigger was a latency finding (added field). */
  score?: number | null;
  /** cpu / mem re-sampled when the trigger was a cpu / mem finding (added fields). */
  cpu?: number | null;
  mem?: number | null;
  /** The trigger's findings still present (added field). */
  remaining?: string[];
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
  /** `heal-reset --rebaseline`: latencies before this record are no longer the baseline (added field). */
  rebaseline?: true;
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

/** A record of a guard with `targets:`: every record names its target (an added field, last). */
export type TargetRecord = GuardRecord & { target?: string };

/** The type guards of these records, which check every field's type: see record-guards.ts. */
export { classifyRecord, isCheckRecord, isEvent, type RecordClass } from './record-guards.js';
