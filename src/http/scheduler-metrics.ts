// The scheduler's own metrics (issue 12): per target, how late each cycle started after its planned time
// (start to start) and how many ticks were skipped because the target's previous cycle was still running.
// Fed from the cycle reports; the guard itself (a config without `targets:`) has no `target` label value.
// A target a reload removed loses its series (and a cycle of it still in flight at the reload is not counted).
import { Counter, Histogram, type Registry } from 'prom-client';
import type { GuardConfig } from '../config/config.js';
import type { CycleReport } from '../cycle/cycle-watch.js';
import { targetNames } from './target-series.js';

const P = 'anomaly_guard_';

/** Observes a cycle report's schedule. */
export type SchedulerMetrics = (report: CycleReport) => void;

/** Registers the scheduler's metrics in `registry`; `config` (the config in force) names the targets whose
 * series exist. Without it, every target seen is kept. */
export function registerSchedulerMetrics(registry: Registry, config?: () => GuardConfig): SchedulerMetrics {
  const lag = new Histogram({
    name: `${P}scheduler_lag_seconds`,
    help: 'How late a cycle started after its planned time (start to start), per target.',
    labelNames: ['target'],
    buckets: [0.005, 0.025, 0.1, 0.5, 2.5, 10],
    registers: [registry],
  });
  const skipped = new Counter({ name: `${P}scheduler_skipped_cycles_total`, help: 'Ticks skipped because the target\'s previous cycle was still running, per target.', labelNames: ['target'], registers: [registry] });
  const seen = new Map<string | null, Record<string, string>>();
  let inForce: GuardConfig | null = null;
  let names: Set<string | null> | null = null;
  // After a reload: the series of the targets it removed go.
  const matchConfig = (): void => {
    const now = config?.();
    if (now === undefined || now === inForce) return;
    [inForce, names] = [now, new Set(targetNames(now))];
    for (const [target, labels] of seen) {
      if (names.has(target)) continue;
      lag.remove(labels);
      skipped.remove(labels);
      seen.delete(target);
    }
  };
  matchConfig();
  return (report) => {
    matchConfig();
    const s = report.schedule;
    const target = report.config.target;
    if (s === undefined || (names !== null && !names.has(target))) return;
    const labels: Record<string, string> = target === null ? {} : { target };
    if (!seen.has(target)) {
      seen.set(target, labels);
      skipped.labels(labels).inc(0); // present from the first cycle, so rate() sees the first skip
    }
    lag.labels(labels).observe(s.lagMs / 1000);
    if (s.skipped > 0) skipped.labels(labels).inc(s.skipped);
  };
}
