// Reads what `status` shows from the log tail: the latest check, the baseline, the last trigger, heal,
// verification and suppression, and the heals of the last hour.
import type { GuardConfig } from '../config/config.js';
import { baselineSummary, type Baseline } from '../core/baseline.js';
import { historyCollector } from '../core/history.js';
import { MAX_TAIL_BYTES } from '../log/file-log.js';
import { isCheckRecord, type CheckRecord } from '../log/records.js';
import { readLogBackward } from '../log/tail-reader.js';

/** The state of the guard as the log tells it. */
export interface LogSummary {
  logFile: string;
  latestCheck: CheckRecord | null;
  /** The baseline the next check will be scored against. */
  baseline: Baseline & { thresholdMs: number | null };
  last: Record<'anomaly_trigger' | 'self_heal' | 'heal_verify' | 'heal_suppressed' | 'resource_warning' | 'cycle_timeout', Record<string, unknown> | null>;
  healsLastHour: number;
  skippedLines: number;
}

const EVENTS = ['anomaly_trigger', 'self_heal', 'heal_verify', 'heal_suppressed', 'resource_warning', 'cycle_timeout'] as const;

/** Scans the log backwards (at most MAX_TAIL_BYTES) and summarises it. */
export function summariseLog(config: GuardConfig, nowMs: number): LogSummary {
  const collector = historyCollector({ window: config.latency.window, recent: 0, nowMs, lookbackMs: 3_600_000, maxLatencyMs: config.health.timeoutMs + 1000, learn: config.latency.learn });
  const last = Object.fromEntries(EVENTS.map((e) => [e, null])) as LogSummary['last'];
  let latestCheck: CheckRecord | null = null;
  let historyDone = false;
  const stats = readLogBackward(
    config.logFile,
    (record) => {
      if (!historyDone) historyDone = !collector.visit(record);
      if (latestCheck === null && isCheckRecord(record)) latestCheck = record;
      const event = (record as { event?: unknown }).event;
      if (typeof event === 'string' && event in last && last[event as keyof LogSummary['last']] === null) {
        last[event as keyof LogSummary['last']] = record as Record<string, unknown>;
      }
      return !(historyDone && latestCheck !== null && EVENTS.every((e) => last[e] !== null));
    },
    { maxBytes: MAX_TAIL_BYTES },
  );
  const history = collector.result();
  const healsLastHour = history.healTimes.filter((t) => nowMs - t < 3_600_000).length;
  const b = baselineSummary(history.window, config.latency);
  const baseline = { n: b.n, mean: b.mean, stdev: b.stdev, thresholdMs: b.threshold_ms };
  return { logFile: config.logFile, latestCheck, baseline, last, healsLastHour, skippedLines: stats.skipped };
}
