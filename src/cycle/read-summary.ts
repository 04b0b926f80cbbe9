// Reads the tail summary (core/tail-summary.ts) that `status` and /api/status show, backwards from the end of
// the live log and on into the newest rotated one when the live log is short (just rotated): the last heal
// and the baseline survive logrotate, as they do for a cycle (read-history.ts). At most MAX_TAIL_BYTES.
import type { GuardConfig } from '../config/config.js';
import { tailSummaryCollector, type EventKind, type SummarySettings, type TailSummary } from '../core/tail-summary.js';
import { readTailThroughRotation } from '../log/file-log.js';

/** A tail summary and the unreadable lines its read skipped. */
export type LogTailSummary = TailSummary & { skippedLines: number };

/** The settings a summary's baseline is computed with, from the config in force. */
export function summarySettings(config: GuardConfig): SummarySettings {
  const { window, minSamples, minStdevMs, sigma, learn } = config.latency;
  // An ok answer slower than the timeout cannot have been measured (as for a cycle's window).
  return { window, minSamples, minStdevMs, sigma, learn, maxLatencyMs: config.health.timeoutMs + 1000 };
}

/** Summarises the log's tail as of `nowMs`, finding the newest record of each kind in `events`; a rotated
 * file that cannot be read is told to `warn` and left out. Throws when the live log cannot be read. */
export function readTailSummary(logFile: string, settings: SummarySettings, nowMs: number, events: readonly EventKind[], warn?: (line: string) => void): LogTailSummary {
  const collector = tailSummaryCollector(settings, nowMs, events);
  const stats = readTailThroughRotation(logFile, collector.visit, warn === undefined ? {} : { warn });
  return { ...collector.result(), skippedLines: stats.skipped };
}
