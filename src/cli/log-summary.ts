// Reads what `status` shows from the log tail: the latest check, the baseline, the last trigger, heal,
// verification and suppression, and the heals of the last hour. A record whose fields have the wrong
// types is passed over and counted, never read.
import type { GuardConfig } from '../config/config.js';
import { baselineSummary, type Baseline } from '../core/baseline.js';
import { historyCollector } from '../core/history.js';
import { MAX_TAIL_BYTES } from '../log/file-log.js';
import { classifyRecord, type CheckRecord, type EventRecord } from '../log/records.js';
import { readLogBackward } from '../log/tail-reader.js';

/** The state of the guard as the log tells it. */
export interface LogSummary {
  logFile: string;
  latestCheck: CheckRecord | null;
  /** The baseline the next check will be scored against. */
  baseline: Baseline & { thresholdMs: number | null };
  last: Record<LastKind, EventRecord | null>;
  healsLastHour: number;
  skippedLines: number;
  /** Records passed over on the way: JSON, but of no known kind or with fields of the wrong type. */
  invalidRecords: number;
}

type LastKind = (typeof EVENTS)[number];

const EVENTS = ['anomaly_trigger', 'self_heal', 'heal_verify', 'heal_suppressed', 'resource_warning', 'cycle_timeout'] as const;

/** Scans the log backwards (at most MAX_TAIL_BYTES) and summarises it. */
export function summariseLog(config: GuardConfig, nowMs: number): LogSummary {
  const collector = historyCollector({ window: config.latency.window, recent: 0, nowMs, lookbackMs: 3_600_000, maxLatencyMs: config.health.timeoutMs + 1000, learn: config.latency.learn });
  const last = Object.fromEntries(EVENTS.map((e) => [e, null])) as LogSummary['last'];
  let latestCheck: CheckRecord | null = null;
  let historyDone = false;
  let invalidRecords = 0;
  const stats = readLogBackward(
    config.logFile,
    (record) => {
      if (!historyDone) historyDone = !collector.visit(record);
      const c = classifyRecord(record);
      if (c.kind === 'invalid') invalidRecords++;
      else if (c.kind === 'check') latestCheck ??= c.record;
      else if (c.kind === 'event' && isLastKind(c.record.event)) last[c.record.event] ??= c.record;
      return !(historyDone && latestCheck !== null && EVENTS.every((e) => last[e] !== null));
    },
    { maxBytes: MAX_TAIL_BYTES },
  );
  const history = collector.result();
  const healsLastHour = history.healTimes.filter((t) => nowMs - t < 3_600_000).length;
  const b = baselineSummary(history.window, config.latency);
  const baseline = { n: b.n, mean: b.mean, stdev: b.stdev, thresholdMs: b.threshold_ms };
  return { logFile: config.logFile, latestCheck, baseline, last, healsLastHour, skippedLines: stats.skipped, invalidRecords };
}

const isLastKind = (event: string): event is LastKind => (EVENTS as readonly string[]).includes(event);
