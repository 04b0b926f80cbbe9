// The scheduler's own metrics (issue 12): per target, how late each cycle started after its planned time
// (start to start) and how many ticks were skipped because the target's previous cycle was still running.
// Fed from the cycle reports; the guard itself (a config without `targets:`) has no `target` label value.
import { Counter, Histogram, type Registry } from 'prom-client';
import type { CycleReport } from '../cycle/cycle-watch.js';

const P = 'anomaly_guard_';

/** Observes a cycle report's schedule. */
export type SchedulerMetrics = (report: CycleReport) => void;

/** Registers the scheduler's metrics in `registry`. */
export function registerSchedulerMetrics(registry: Registry): SchedulerMetrics {
  const lag = new Histogram({
    name: `${P}scheduler_lag_seconds`,
    help: 'How late a cycle started after its planned time (start to start), per target.',
    labelNames: ['target'],
    buckets: [0.005, 0.025, 0.1, 0.5, 2.5, 10],
    registers: [registry],
  });
  const skipped = new Counter({ name: `${P}scheduler_skipped_cycles_total`, help: 'Ticks skipped because the target\'s previous cycle was still running, per target.', labelNames: ['target'], registers: [registry] });
  const seen = new Set<string>();
  return (report) => {
    const s = report.schedule;
    if (s === undefined) return;
    const labels = report.config.target === null ? {} : { target: report.config.target };
    const key = report.config.target ?? '';
    if (!seen.has(key)) {
      seen.add(key);
      skipped.labels(labels).inc(0); // present from the first cycle, so rate() sees the first skip
    }
    lag.labels(labels).observe(s.lagMs / 1000);
    if (s.skipped > 0) skipped.labels(labels).inc(s.skipped);
  };
}
