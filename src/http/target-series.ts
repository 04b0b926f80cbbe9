// The per-target series of /metrics: each target's label sets are remembered as they are first used, so a
// target that a reload removed takes its series with it (a stale probe_success 0 would keep a fleet
// alert firing forever). The guard itself (a config without `targets:`) has no `target` label at all.
import type { Counter, Gauge, Histogram } from 'prom-client';

/** A metric whose label names include `target`. */
export type TargetMetric = Counter<string> | Gauge<string> | Histogram<string>;
type Labels = Record<string, string>;

/** The label sets each target used, to drop them together. */
export interface TargetSeries {
  /** The labels of a series of `target` (null: the guard itself, no `target` label), remembered. */
  labels(metric: TargetMetric, target: string | null, extra?: Labels): Labels;
  /** The targets that have series. */
  targets(): (string | null)[];
  /** True when `target` has series. */
  has(target: string | null): boolean;
  /** Removes every series of `target`. */
  drop(target: string | null): void;
}

/** An empty book of series. Per target one map, keyed by the metric's name and the extra labels, of the
 * labels first used (passed back on every later use: no new object per update). One map a target, not one per
 * metric: at 10,000 targets the nested maps cost ~3 KB a target. */
export function targetSeries(): TargetSeries {
  const book = new Map<string | null, Map<string, { metric: TargetMetric; labels: Labels }>>();
  return {
    labels(metric, target, extra) {
      let sets = book.get(target);
      if (sets === undefined) book.set(target, (sets = new Map()));
      const name = (metric as unknown as { name: string }).name; // prom-client's metric name (not in its types)
      const key = extra === undefined ? name : `${name}${JSON.stringify(extra)}`;
      const known = sets.get(key);
      if (known !== undefined) return known.labels;
      const labels = target === null ? { ...extra } : { ...extra, target };
      sets.set(key, { metric, labels });
      return labels;
    },
    targets: () => [...book.keys()],
    has: (target) => book.has(target),
    drop(target) {
      for (const { metric, labels } of book.get(target)?.values() ?? []) metric.remove(labels);
      book.delete(target);
    },
  };
}

/** The target names a config runs: its targets' names, or [null] for a config without targets. */
export function targetNames(config: { targets: { target: string | null }[] }): (string | null)[] {
  return config.targets.length > 0 ? config.targets.map((t) => t.target) : [null];
}
