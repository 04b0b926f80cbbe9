// Reads what `status` shows from the log tail: the latest check, the baseline, the last trigger, heal,
// verification and suppression, and the heals of the last hour.
import type { GuardConfig } from '../config/config.js';
import { computeBaseline, type Baseline } from '../core/baseline.js';
import { roundMs, roundOrNull } from '../core/format.js';
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
  const collector = historyCollector({ window: config.latency.window, recent: 0, nowMs, lookbackMs: 3_600_000 });
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
  const b = computeBaseline(history.window, config.latency.minSamples);
  const spread = b.stdev === null ? null : Math.max(b.stdev, config.latency.minStdevMs);
  const thresholdMs = b.mean === null || spread === null ? null : b.mean + config.latency.sigma * spread;
  const healsLastHour = history.healTimes.filter((t) => nowMs - t < 3_600_000).length;
  const baseline = { n: b.n, mean: roundOrNull(b.mean, roundMs), stdev: roundOrNull(b.stdev, roundMs), thresholdMs: roundOrNull(thresholdMs, roundMs) };
  return { logFile: config.logFile, latestCheck, baseline, last, healsLastHour, skippedLines: stats.skipped };
}
