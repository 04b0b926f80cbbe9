// GET /api/status: the daemon, the settings that explain its decisions, the latest check and its
// verdict, the baseline the next check is scored against, the last events and the heals of the hour.
// Built in two parts: the head on the daemon's thread (live state, no I/O), the rest from the log's tail
// summary (the one `status` shows: cycle/read-summary.ts) in the read worker (log-reads.ts).
// Only valid records are shown: one with a field of the wrong type is passed over and counted.
import type { GuardConfig } from '../config/config.js';
import { STATUS_WORDS } from '../core/decision/status.js';
import { formatTs } from '../core/format.js';
import type { LogTailSummary } from '../cycle/read-summary.js';
import type { CheckRecord } from '../log/records.js';
import type { HealBudgetState, LastEvents, LastKind, LiveState } from './live.js';

/** The body of /api/status (docs/http-api.md). */
export interface StatusBody {
  updated_at: string;
  daemon: { pid: number; started_at: string; cycles: number; version: string };
  config: PublicConfig;
  latest_check: CheckRecord | null;
  verdict: 'OK' | 'WARNING' | 'CRITICAL' | 'UNKNOWN';
  baseline: { n: number; mean: number | null; stdev: number | null; threshold_ms: number | null };
  last: LastEvents;
  heals_last_hour: number;
  /** The heal budget after the daemon's last cycle (null before its first): docs/http-api.md. */
  heal_budget: HealBudgetState | null;
  skipped_lines: number;
  /** Records passed over while reading the tail: JSON, but of no known kind or with a field of the wrong type. */
  invalid_records: number;
}

/** What the daemon's thread knows of the status without the log: sent with a status read (structured-cloneable). */
export interface StatusHead {
  updated_at: string;
  daemon: StatusBody['daemon'];
  config: PublicConfig;
  verdict: StatusBody['verdict'];
  heal_budget: StatusBody['heal_budget'];
  /** The newest record of each kind the cycles of this daemon wrote. */
  seen: LastEvents;
}

/** The status's live part, built on the daemon's thread (no log read). */
export function statusHead(config: GuardConfig, live: LiveState, nowMs: number): StatusHead {
  return {
    updated_at: formatTs(nowMs),
    daemon: { pid: live.pid, started_at: formatTs(live.startedAtMs), cycles: live.cycles, version: live.version },
    config: publicConfig(config),
    verdict: live.lastCycle === null ? 'UNKNOWN' : (STATUS_WORDS[live.lastCycle.status] as StatusBody['verdict']),
    heal_budget: live.healBudget,
    seen: live.seenLast(),
  };
}

/** Completes the status from the log's tail summary; `inLog` is the newest record of each kind the log held. */
export function statusFromLog(head: StatusHead, tail: LogTailSummary, inLog: LastEvents): StatusBody {
  const last = { ...inLog };
  for (const kind of Object.keys(last) as LastKind[]) last[kind] = head.seen[kind] ?? inLog[kind];
  const { seen: _seen, ...rest } = head;
  return { ...rest, latest_check: tail.latestCheck, baseline: tail.baseline, last, heals_last_hour: tail.healsLastHour, skipped_lines: tail.skippedLines, invalid_records: tail.invalidRecords };
}

/** The settings /api/status shows (docs/http-api.md). */
export interface PublicConfig {
  /** safe | seed: which defaults decide how a finding becomes a restart. */
  profile: string;
  interval_ms: number | null;
  schedule: string | null;
  health_url: string;
  sigma: number;
  window: number;
  detector: string;
  cpu_critical: number;
  mem_critical: number;
  disk_warning: number;
  max_per_hour: number;
}

/** The settings a dashboard shows; the health URL without credentials, query or fragment. */
export function publicConfig(c: GuardConfig): PublicConfig {
  return {
    profile: c.profile,
    interval_ms: c.intervalMs,
    schedule: c.schedule,
    health_url: safeUrl(c.health.url),
    sigma: c.latency.sigma,
    window: c.latency.window,
    detector: c.latency.detector,
    cpu_critical: c.resources.cpuCritical,
    mem_critical: c.resources.memCritical,
    disk_warning: c.resources.diskWarning,
    max_per_hour: c.heal.maxPerHour,
  };
}

/** A URL safe to show: scheme, host and path; userinfo becomes ***, the query and fragment are dropped. */
export function safeUrl(text: string): string {
  try {
    const u = new URL(text);
    return `${u.protocol}//${u.username !== '' || u.password !== '' ? '***@' : ''}${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
