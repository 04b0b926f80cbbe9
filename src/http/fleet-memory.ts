// What the daemon remembers of each target's own cycles (a config with `targets:`): a live state per
// target (the head of /api/status?target=NAME) and the overview row's parts (the last latencies, the last
// incident, the heal budget), updated from each cycle's report on the daemon's thread without any read.
import type { GuardConfig } from '../config/config.js';
import { STATUS_WORDS } from '../core/decision/status.js';
import { parseTs } from '../core/format.js';
import type { CycleReport } from '../cycle/cycle-watch.js';
import { isCheckRecord } from '../log/records.js';
import { liveState, type LiveState } from './live.js';
import { healingOff, SPARK_POINTS, type TargetRow, type TargetState } from './target-overview.js';

const HOUR_MS = 3_600_000;

/** One target as the daemon saw it. */
interface TargetMemory {
  live: LiveState;
  /** The last latencies, oldest first, and whether each probe was ok (two flat lists, not an object per point:
   * ~1 KB a target less at 10,000 targets). */
  spark: number[];
  sparkOk: boolean[];
  checkedAt: string | null;
  healTimes: number[];
  incident: { ts: string; reasons: string[] } | null;
}

/** The daemon's memory of every target it cycled. */
export interface FleetMemory {
  observe(report: CycleReport): void;
  /** The live state of a target (one that has not cycled yet: an empty one, not kept). */
  live(name: string): LiveState;
  /** The target's overview row, or null when this daemon has not cycled it yet; a row without an incident
   * leaves it to the log (incident_in_memory false). */
  row(config: GuardConfig, nowMs: number): (TargetRow & { incident_in_memory: boolean }) | null;
  /** Forgets the targets not in `names` (after a reload). */
  keep(names: ReadonlySet<string>): void;
}

/** An empty memory of a daemon (`info` names it in every target's live state). */
export function fleetMemory(info: { pid: number; version: string; startedAtMs: number }): FleetMemory {
  const targets = new Map<string, TargetMemory>();
  return {
    observe(report) {
      const name = report.config.target;
      if (name === null) return;
      let m = targets.get(name);
      if (m === undefined) targets.set(name, (m = { live: liveState(info), spark: [], sparkOk: [], checkedAt: null, healTimes: [], incident: null }));
      remember(m, report);
    },
    live: (name) => targets.get(name)?.live ?? liveState(info),
    row(config, nowMs) {
      const m = config.target === null ? undefined : targets.get(config.target);
      if (m === undefined || m.live.lastCycle === null) return null;
      const heals = m.healTimes.filter((t) => nowMs - t < HOUR_MS).length;
      const off = healingOff(m.live.healBudget?.latched === true, heals, config.heal.maxPerHour);
      const verdict = STATUS_WORDS[m.live.lastCycle.status] as TargetState;
      const last = m.spark.length === 0 ? undefined : { ms: m.spark.at(-1) as number, ok: m.sparkOk.at(-1) as boolean };
      return {
        target: config.target as string,
        // A service whose last probe failed is down, whatever the cycle's gate made of it (a heal's grace).
        state: off ? 'HEALING_OFF' : m.checkedAt === null ? 'UNKNOWN' : last?.ok === false ? 'CRITICAL' : verdict,
        checked_at: m.checkedAt,
        latency_ms: last?.ms ?? null,
        latencies: [...m.spark],
        failed: m.sparkOk.flatMap((ok, i) => (ok ? [] : [i])),
        last_incident: m.incident,
        heals_last_hour: heals,
        max_per_hour: config.heal.maxPerHour,
        source: 'daemon',
        incident_in_memory: m.incident !== null,
      };
    },
    keep(names) {
      for (const name of targets.keys()) if (!names.has(name)) targets.delete(name);
    },
  };
}

// Takes in one cycle: its check (into the sparkline, first seeded from the baseline it was scored
// against), its trigger (the incident), its heals (the budget).
function remember(m: TargetMemory, report: CycleReport): void {
  m.live.observe(report);
  const result = report.result;
  if (result === null) return;
  const history = result.measurement?.history;
  if (m.spark.length === 0 && history !== undefined) {
    m.spark = history.window.slice(-(SPARK_POINTS - 1));
    m.sparkOk = m.spark.map(() => true);
    m.healTimes = history.healTimes.slice(0, 64);
  }
  for (const record of result.records) {
    const r = record as { event?: unknown; ts: string; reasons?: unknown };
    if (isCheckRecord(record)) {
      m.checkedAt = record.ts;
      m.spark.push(record.lat.latency_ms);
      m.sparkOk.push(record.lat.ok === true);
      if (m.spark.length > SPARK_POINTS) {
        m.spark.shift();
        m.sparkOk.shift();
      }
    } else if (r.event === 'anomaly_trigger') m.incident = { ts: r.ts, reasons: Array.isArray(r.reasons) ? r.reasons.map(String) : [] };
    else if (r.event === 'self_heal') m.healTimes = [parseTs(r.ts), ...m.healTimes.slice(0, 63)];
    else if (r.event === 'heal_resumed') m.healTimes = [];
  }
}
