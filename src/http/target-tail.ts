// An overview row from a target's log tail, for a target the daemon has not cycled yet (just started, or
// the app served without cycles): the last checks, the newest trigger and warning, the heals of the hour and
// a latched heal budget, read backwards from the end of its log and never more than TARGET_TAIL_BYTES, so
// an overview of 1,000 targets reads at most 1,000 small tails. Facts are kept per log until it changes.
import { statSync } from 'node:fs';
import { parseTs } from '../core/format.js';
import { isCheckRecord } from '../log/records.js';
import { readLogBackward } from '../log/tail-reader.js';
import { healingOff, SPARK_POINTS, type TargetRow, type TargetState } from './target-overview.js';

/** The most of a target's log one overview row reads. */
export const TARGET_TAIL_BYTES = 64 * 1024;
const HOUR_MS = 3_600_000;

/** A target whose row comes from its log: plain data (it crosses to the read worker). */
export interface TailTarget {
  target: string;
  logFile: string;
  maxPerHour: number;
  /** Past this long without a check the target is UNKNOWN (two intervals and the cycle timeout). */
  staleMs: number;
}

/** What a log's tail says, newest first. */
export interface TailFacts {
  checks: { ts: string; ms: number; ok: boolean }[];
  incident: { ts: string; reasons: string[] } | null;
  warningTs: string | null;
  healTimes: number[];
  latched: boolean;
}

/** Reads the facts of one log's tail. */
export function readTargetTail(logFile: string, nowMs: number): TailFacts {
  const facts: TailFacts = { checks: [], incident: null, warningTs: null, healTimes: [], latched: false };
  let [latchKnown, resumed] = [false, false];
  readLogBackward(
    logFile,
    (record) => {
      const r = record as { event?: unknown; ts?: unknown; reasons?: unknown; latched?: unknown };
      const ts = typeof r.ts === 'string' ? r.ts : null;
      if (ts === null) return true;
      if (isCheckRecord(record)) {
        if (facts.checks.length < SPARK_POINTS) facts.checks.push({ ts, ms: record.lat.latency_ms, ok: record.lat.ok === true });
      } else if (r.event === 'anomaly_trigger') facts.incident ??= { ts, reasons: Array.isArray(r.reasons) ? r.reasons.map(String) : [] };
      else if (r.event === 'resource_warning') facts.warningTs ??= ts;
      else if (r.event === 'self_heal' || r.event === 'heal_start' || r.event === 'heal_resumed') {
        // The heals of the hour count back to the last resume; any heal or resume after an exhaustion ends it.
        if (r.event === 'self_heal' && !resumed && nowMs - parseTs(ts) < HOUR_MS) facts.healTimes.push(parseTs(ts));
        resumed ||= r.event === 'heal_resumed';
        latchKnown = true;
      } else if (r.event === 'heal_budget_exhausted' && !latchKnown) [facts.latched, latchKnown] = [r.latched === true, true];
      const pastHour = nowMs - parseTs(ts) > HOUR_MS;
      return !(facts.checks.length >= SPARK_POINTS && facts.incident !== null && pastHour);
    },
    { maxBytes: TARGET_TAIL_BYTES },
  );
  return facts;
}

/** The row of a target from its tail's facts as of `nowMs`. */
export function rowFromTail(t: TailTarget, f: TailFacts, nowMs: number): TargetRow {
  const checks = [...f.checks].reverse();
  const latest = f.checks[0] ?? null;
  const heals = f.healTimes.filter((at) => nowMs - at < HOUR_MS).length;
  return {
    target: t.target,
    state: tailState(t, f, latest, heals, nowMs),
    checked_at: latest?.ts ?? null,
    latency_ms: latest?.ms ?? null,
    latencies: checks.map((c) => c.ms),
    failed: checks.flatMap((c, i) => (c.ok ? [] : [i])),
    last_incident: f.incident,
    heals_last_hour: heals,
    max_per_hour: t.maxPerHour,
    source: 'log',
  };
}

// No check: UNKNOWN; healing off; the latest check failed or was followed by a trigger: CRITICAL; by a
// warning: WARNING; no check for too long: UNKNOWN; else OK.
function tailState(t: TailTarget, f: TailFacts, latest: TailFacts['checks'][number] | null, heals: number, nowMs: number): TargetState {
  if (latest === null) return 'UNKNOWN';
  if (healingOff(f.latched, heals, t.maxPerHour)) return 'HEALING_OFF';
  const at = parseTs(latest.ts);
  if (!latest.ok || (f.incident !== null && parseTs(f.incident.ts) >= at)) return 'CRITICAL';
  if (f.warningTs !== null && parseTs(f.warningTs) >= at) return 'WARNING';
  if (nowMs - at > t.staleMs) return 'UNKNOWN';
  return 'OK';
}

// A log's identity: device, inode, size and change time; "absent" when there is none.
function identityOf(logFile: string): string {
  try {
    const s = statSync(logFile, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'absent';
  }
}

/** A reader of tails that keeps each log's facts until the log changes; without `mayRead` it answers from
 * what it kept (facts of an older state of the log, or null when it has none). */
export function tailFactsCache(maxEntries = 20_000) {
  const cache = new Map<string, { identity: string; facts: TailFacts }>();
  return (logFile: string, nowMs: number, mayRead = true): TailFacts | null => {
    const identity = identityOf(logFile);
    const hit = cache.get(logFile);
    if (hit !== undefined && hit.identity === identity) return hit.facts;
    if (!mayRead) return hit?.facts ?? null;
    const facts = readTargetTail(logFile, nowMs);
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(logFile, { identity, facts });
    return facts;
  };
}
