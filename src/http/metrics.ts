// The Prometheus metrics of the guard, in their own registry (no globals), updated from each cycle's
// result. Counters count from the daemon's start; gauges hold the last cycle's figures (NaN when unknown).
// With `targets:`, every per-target series carries `target="<name>"` (never the URL: names are few and
// stable); a config without targets has exactly the series it always had, without the label.
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GuardConfig } from '../config/config.js';
import type { CycleReport } from '../cycle/cycle-watch.js';
import type { GuardRecord, HealSuppressedRecord, SelfHealRecord } from '../log/records.js';
import { registerProcessMetrics } from './process-metrics.js';
import { registerSchedulerMetrics } from './scheduler-metrics.js';
import { reasonType } from '../core/kinds.js';
import { targetNames, targetSeries, type TargetMetric, type TargetSeries } from './target-series.js';

/** The metrics of one daemon. */
export interface GuardMetrics {
  registry: Registry;
  /** Updates every metric from a finished (or failed) cycle. */
  observe(report: CycleReport): void;
}

const P = 'anomaly_guard_';
/** Every value of `why` a heal_suppressed record can carry (pre-set to 0 so rate() sees the first one). */
const SUPPRESS_WHYS = ['no_command', 'cooldown', 'rate_limit', 'in_progress', 'unconfirmed', 'grace', 'backoff', 'exhausted'];
const HEAL_OUTCOMES = ['ok', 'failed', 'timed_out', 'aborted'];
const VERDICTS = ['ok', 'warning', 'critical', 'unknown'];
const PRESET_TRIGGERS = ['health_unhealthy', 'cpu_critical', 'mem_critical'];

/** Creates the registry and its metrics; `config` (the daemon's config in force) names the targets whose
 * series exist: a target a reload removed loses its series. Without it, every target seen is kept. */
export function guardMetrics(info: { version: string; startedAtMs: number; config?: () => GuardConfig }): GuardMetrics {
  const registry = new Registry();
  const m = defineMetrics(registry);
  m.buildInfo.labels({ version: info.version }).set(1);
  registerProcessMetrics(registry, info.startedAtMs);
  const series = targetSeries();
  const known = knownTargets(info.config);
  for (const target of known.names ?? [null]) preset(m, series, target);
  const observeOne = (report: CycleReport): void => {
    const target = report.config.target;
    if (known.reloaded()) matchTargets(m, series, known.names ?? new Set());
    // A cycle of a removed target that was in flight at the reload: not counted.
    if (!known.has(target)) return;
    if (!series.has(target)) preset(m, series, target);
    observe(m, series, report);
  };
  const scheduler = registerSchedulerMetrics(registry, info.config);
  return { registry, observe: (report: CycleReport) => (observeOne(report), scheduler(report)) };
}

// After a reload: the series of removed targets go, the new targets' counters start at 0.
function matchTargets(m: Metrics, series: TargetSeries, names: Set<string | null>): void {
  for (const gone of series.targets()) if (!names.has(gone)) series.drop(gone);
  for (const name of names) if (!series.has(name)) preset(m, series, name);
}

// The target names of the config in force, recomputed only when the config object changed (a reload);
// without a config every target is known.
function knownTargets(config: (() => GuardConfig) | undefined) {
  let seen: GuardConfig | null = null;
  const known = {
    names: null as Set<string | null> | null,
    has: (target: string | null): boolean => known.names === null || known.names.has(target),
    /** True when the config changed since the last call (its names are then recomputed). */
    reloaded(): boolean {
      const now = config?.();
      if (now === undefined || now === seen) return false;
      [seen, known.names] = [now, new Set(targetNames(now))];
      return true;
    },
  };
  known.reloaded();
  return known;
}

// Every counter of a target at 0 (so rate() sees its first increment); the guard itself also keeps its
// gauges and histograms from the start, exactly as before targets existed.
function preset(m: Metrics, series: TargetSeries, target: string | null): void {
  const at = (metric: TargetMetric, extra?: Record<string, string>) => series.labels(metric, target, extra);
  for (const why of SUPPRESS_WHYS) m.suppressed.inc(at(m.suppressed, { why }), 0);
  for (const outcome of HEAL_OUTCOMES) m.heals.inc(at(m.heals, { outcome }), 0);
  for (const verdict of VERDICTS) m.cycles.inc(at(m.cycles, { verdict }), 0);
  for (const reason of PRESET_TRIGGERS) m.triggers.inc(at(m.triggers, { reason }), 0);
  for (const counter of [m.timeouts, m.errors]) counter.inc(at(counter), 0);
  if (target !== null) return;
  for (const gauge of [m.probeSuccess, m.zscore, m.mean, m.stdev, m.cpu, m.mem, m.disk, m.lastSuccess]) gauge.set(at(gauge), 0);
  for (const histogram of [m.probeDuration, m.cycleDuration]) histogram.zero(at(histogram));
}

function defineMetrics(registry: Registry) {
  const r = [registry];
  // Every per-target metric may carry `target`; the guard's own series (no targets) leave it out.
  const gauge = (name: string, help: string) => new Gauge({ name: P + name, help, labelNames: ['target'], registers: r });
  const counter = (name: string, help: string, labels: string[] = []) => new Counter({ name: P + name, help, labelNames: [...labels, 'target'], registers: r });
  const histogram = (name: string, help: string, buckets: number[]) => new Histogram({ name: P + name, help, buckets, labelNames: ['target'], registers: r });
  return {
    buildInfo: new Gauge({ name: `${P}build_info`, help: 'Always 1; the version of anomaly-guard as a label.', labelNames: ['version'], registers: r }),
    probeDuration: histogram('probe_duration_seconds', 'Latency of the health probe (also of a failed one: the time until it failed).', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
    probeSuccess: gauge('probe_success', '1 when the last health probe was ok, 0 when it failed.'),
    zscore: gauge('latency_zscore', 'The z-score of the last probe latency against the baseline; NaN without a score.'),
    mean: gauge('latency_baseline_mean_seconds', 'Mean latency of the baseline window; NaN until it holds latency.min_samples.'),
    stdev: gauge('latency_baseline_stdev_seconds', 'Sample standard deviation of the baseline window; NaN until it holds latency.min_samples.'),
    cpu: gauge('cpu_ratio', 'Busy share of all CPUs over resources.cpu_sample (0-1); NaN when it could not be read.'),
    mem: gauge('memory_ratio', 'Used share of memory (0-1); NaN when it could not be read.'),
    disk: gauge('disk_ratio', 'Used share of the disk at resources.disk_path (0-1); NaN when it could not be read.'),
    triggers: counter('triggers_total', 'Findings whose action is heal (anomaly_trigger reasons), by reason type.', ['reason']),
    warnings: counter('warnings_total', 'Findings whose action is alert (resource_warning reasons), by reason type.', ['reason']),
    heals: counter('heals_total', 'Heal commands run, by outcome (ok, failed, timed_out, aborted).', ['outcome']),
    suppressed: counter('heals_suppressed_total', 'Heals that were due but did not run, by why.', ['why']),
    cycles: counter('cycles_total', 'Cycles finished, by verdict (ok, warning, critical, unknown).', ['verdict']),
    cycleDuration: histogram('cycle_duration_seconds', 'Duration of a whole cycle (probe, sample, heal, verify, alerts).', [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]),
    timeouts: counter('cycle_timeouts_total', 'Cycles aborted at cycle_timeout.'),
    errors: counter('cycle_errors_total', 'Cycles that failed with an error (e.g. the log could not be read).'),
    lastSuccess: gauge('last_successful_cycle_timestamp_seconds', 'When the last cycle completed (not timed out, no error), in seconds since the epoch.'),
  };
}

type Metrics = ReturnType<typeof defineMetrics>;
type Assessment = NonNullable<NonNullable<CycleReport['result']>['assessment']>;

function observe(m: Metrics, series: TargetSeries, report: CycleReport): void {
  const target = report.config.target;
  const at = (metric: TargetMetric, extra?: Record<string, string>) => series.labels(metric, target, extra);
  m.cycleDuration.observe(at(m.cycleDuration), report.durationMs / 1000);
  const result = report.result;
  if (result === null) {
    m.errors.inc(at(m.errors));
    m.cycles.inc(at(m.cycles, { verdict: 'unknown' }));
    return;
  }
  m.cycles.inc(at(m.cycles, { verdict: VERDICTS[result.status] ?? 'unknown' }));
  if (result.timedOut) m.timeouts.inc(at(m.timeouts));
  else m.lastSuccess.set(at(m.lastSuccess), report.endedMs / 1000);
  if (result.measurement) {
    const probe = result.measurement.probe;
    m.probeDuration.observe(at(m.probeDuration), probe.latencyMs / 1000);
    m.probeSuccess.set(at(m.probeSuccess), probe.ok ? 1 : 0);
  }
  if (result.assessment) observeFigures(m, at, result.assessment);
  for (const record of result.records) observeRecord(m, at, record);
}

type At = (metric: TargetMetric, extra?: Record<string, string>) => Record<string, string>;

function observeFigures(m: Metrics, at: At, a: Assessment): void {
  const { res, score } = a.check;
  const ratio = (pct: number | null): number => (pct === null ? Number.NaN : pct / 100);
  const seconds = (ms: number | null): number => (ms === null ? Number.NaN : ms / 1000);
  m.zscore.set(at(m.zscore), score ?? Number.NaN);
  m.mean.set(at(m.mean), seconds(a.baseline.mean));
  m.stdev.set(at(m.stdev), seconds(a.baseline.stdev));
  m.cpu.set(at(m.cpu), ratio(res.cpu));
  m.mem.set(at(m.mem), ratio(res.mem));
  m.disk.set(at(m.disk), ratio(res.disk));
}

function observeRecord(m: Metrics, at: At, record: GuardRecord): void {
  const event = (record as { event?: string }).event;
  if (event === 'anomaly_trigger' || event === 'resource_warning') {
    const counter = event === 'anomaly_trigger' ? m.triggers : m.warnings;
    for (const reason of (record as { reasons: string[] }).reasons) counter.inc(at(counter, { reason: reasonType(reason) }));
  } else if (event === 'self_heal') {
    m.heals.inc(at(m.heals, { outcome: healOutcome(record as SelfHealRecord) }));
  } else if (event === 'heal_suppressed') {
    m.suppressed.inc(at(m.suppressed, { why: (record as HealSuppressedRecord).why }));
  }
}

/** ok | failed | timed_out | aborted, from a self_heal record. */
export function healOutcome(r: SelfHealRecord): string {
  if (r.aborted) return 'aborted';
  if (r.timed_out) return 'timed_out';
  return r.exit_code === 0 && !r.error ? 'ok' : 'failed';
}
