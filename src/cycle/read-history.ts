// Reads the guard's state from the log's tail: as far back as the baseline, confirmation and heal budget need.
import type { GuardConfig } from '../config/config.js';
import { historyWindow } from '../core/detectors/run-detector.js';
import { healLookbackMs } from '../core/heal-policy.js';
import { historyCollector, type History, type HistoryNeeds } from '../core/history.js';
import type { CycleDeps } from './deps.js';

/** The history as of now, and how many unreadable lines the read skipped. */
export function readHistory(config: GuardConfig, deps: Pick<CycleDeps, 'log' | 'clock' | 'history'>): { history: History; skipped: number } {
  const h = config.heal;
  const lookbackMs = healLookbackMs({ cooldownMs: h.cooldownMs, graceMs: h.graceMs, backoffResetMs: h.backoff ? h.backoffResetMs : 0, resumeAfterMs: h.stopWhenExhausted ? h.resumeAfterMs : 0, repeatMs: config.alert.repeatMs });
  const recent = Math.max(config.latency.confirmOf, config.resources.confirmOf) - 1;
  const needs: HistoryNeeds = {
    window: historyWindow(config.latency),
    recent,
    nowMs: deps.clock.nowMs(),
    lookbackMs,
    // An ok answer slower than the timeout cannot have been measured (a hand-edited 1e308 would blind the window).
    maxLatencyMs: config.health.timeoutMs + 1000,
    learn: config.latency.learn,
  };
  if (deps.history) return deps.history(needs);
  const collector = historyCollector(needs);
  const stats = deps.log.readBackward(collector.visit);
  return { history: collector.result(), skipped: stats.skipped };
}
