// `anomaly-guard status` of a config with `targets:` and no --target: one line per target, the worst
// first: its state, how long ago it was last checked, its latency against its baseline, its last trigger,
// and its heal budget. `status --target NAME` shows one target in full.
import type { GuardConfig } from '../config/config.js';
import { parseTs } from '../core/format.js';
import { terminalLine, visibleJson } from '../core/terminal-text.js';
import { GuardError } from '../errors.js';
import { logReadError } from '../log/file-log.js';
import { logMissing } from '../log/reader.js';
import { readTailSummary, summarySettings, type LogTailSummary as LogSummary } from '../cycle/read-summary.js';

/** A target's state, worst first in STATES. */
export type TargetState = 'down' | 'healing off' | 'anomaly' | 'stale' | 'no check' | 'ok';
const STATES: TargetState[] = ['down', 'healing off', 'anomaly', 'stale', 'no check', 'ok'];

/** One target's line, as --json gives it. */
export interface TargetStatus {
  target: string;
  state: TargetState;
  log_file: string;
  latest: string | null;
  latency_ms: number | null;
  baseline_mean_ms: number | null;
  threshold_ms: number | null;
  last_trigger: string | null;
  last_trigger_reasons: string[];
  heals_last_hour: number;
  max_per_hour: number;
}

/** The state the log shows: down (the last probe failed), healing off (the budget is spent), a latency
 * anomaly, stale (no check for two intervals past cycle_timeout), no check yet, or ok. */
export function targetState(config: GuardConfig, s: LogSummary | null, nowMs: number): TargetState {
  const latest = s?.latestCheck ?? null;
  if (s === null || latest === null) return 'no check';
  if (!latest.lat.ok) return 'down';
  if (config.heal.maxPerHour > 0 && s.healsLastHour >= config.heal.maxPerHour) return 'healing off';
  if (s.baseline.threshold_ms !== null && latest.lat.latency_ms > s.baseline.threshold_ms) return 'anomaly';
  if (nowMs - parseTs(latest.ts) > 2 * config.intervalMs + config.cycleTimeoutMs) return 'stale';
  return 'ok';
}

/** Prints one line per target, the worst first; exit 1 (LOG_MISSING) when no target has a log yet. */
export function statusOfTargets(targets: GuardConfig[], opts: Record<string, unknown>, nowMs: number): number {
  const rows = targets.map((t) => statusOf(t, nowMs));
  if (rows.every((r) => r.latest === null) && targets.every((t) => logMissing(t.logFile))) {
    throw new GuardError('LOG_MISSING', `no log yet for any of the ${targets.length} targets (beside ${targets[0]?.logFile ?? ''})`, { hint: 'run `anomaly-guard check` (or start the daemon) first, or point -c at the right config' });
  }
  rows.sort((a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state));
  if (opts.json) {
    process.stdout.write(`${visibleJson(JSON.stringify({ targets: rows }, null, 2))}\n`);
    return 0;
  }
  const width = Math.max(6, ...rows.map((r) => r.target.length));
  const head = `${'target'.padEnd(width)}  ${'state'.padEnd(11)}  ${'checked'.padEnd(8)}  ${'latency'.padStart(10)}  ${'limit'.padStart(10)}  heals/h  last trigger`;
  const lines = rows.map((r) => {
    const checked = r.latest === null ? '-' : ago(r.latest, nowMs);
    const lat = r.latency_ms === null ? '-' : `${r.latency_ms.toFixed(1)} ms`;
    const limit = r.threshold_ms === null ? '-' : `${r.threshold_ms.toFixed(1)} ms`;
    const trigger = r.last_trigger === null ? 'none' : `${ago(r.last_trigger, nowMs)} ago: ${r.last_trigger_reasons.join(', ')}`;
    return `${r.target.padEnd(width)}  ${r.state.toUpperCase().padEnd(11)}  ${checked.padEnd(8)}  ${lat.padStart(10)}  ${limit.padStart(10)}  ${`${r.heals_last_hour}/${r.max_per_hour}`.padEnd(7)}  ${trigger}`;
  });
  process.stdout.write(`${[head, ...lines].map((l) => terminalLine(l, 'status --json')).join('\n')}\n`);
  return 0;
}

function statusOf(config: GuardConfig, nowMs: number): TargetStatus {
  let s: LogSummary | null = null;
  if (!logMissing(config.logFile)) {
    try {
      s = readTailSummary(config.logFile, summarySettings(config), nowMs, ['anomaly_trigger'], (line) => void process.stderr.write(`anomaly-guard status [${config.target}]: ${line}\n`));
    } catch (err) {
      throw logReadError(config.logFile, err);
    }
  }
  const latest = s?.latestCheck ?? null;
  const trigger = s?.last.anomaly_trigger ?? null;
  return {
    target: config.target ?? '',
    state: targetState(config, s, nowMs),
    log_file: config.logFile,
    latest: latest?.ts ?? null,
    latency_ms: latest?.lat.latency_ms ?? null,
    baseline_mean_ms: s?.baseline.mean ?? null,
    threshold_ms: s?.baseline.threshold_ms ?? null,
    last_trigger: trigger?.ts ?? null,
    last_trigger_reasons: trigger !== null && 'reasons' in trigger ? trigger.reasons : [],
    heals_last_hour: s?.healsLastHour ?? 0,
    max_per_hour: config.heal.maxPerHour,
  };
}

function ago(ts: string, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - parseTs(ts)) / 1000));
  return s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172_800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
}
