// The Prometheus metrics of the guard, in their own registry (no globals), updated from each cycle's
// result. Counters count from the daemon's start; gauges hold the last cycle's figures (NaN when unknown).
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CycleReport } from '../daemon/daemon-cycle.js';
import type { GuardRecord, HealSuppressedRecord, SelfHealRecord } from '../log/records.js';
import { registerProcessMetrics } from './process-metrics.js';
import { registerSchedulerMetrics } from './scheduler-metrics.js';
import { reasonType } from '../core/kinds.js';

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

/** Creates the registry and its metrics. */
export function guardMetrics(info: { version: string; startedAtMs: number }): GuardMetrics {
  const registry = new Registry();
  const m = defineMetrics(registry);
  m.buildInfo.labels({ version: info.version }).set(1);
  for (const why of SUPPRESS_WHYS) m.suppressed.labels({ why }).inc(0);
  for (const outcome of HEAL_OUTCOMES) m.heals.labels({ outcome }).inc(0);
  for (const verdict of VERDICTS) m.cycles.labels({ verdict }).inc(0);
  for (const reason of ['health_unhealthy', 'cpu_critical', 'mem_critical']) m.triggers.labels({ reason }).inc(0);
  registerProcessMetrics(registry, info.startedAtMs);
  const scheduler = registerSchedulerMetrics(registry);
  return { registry, observe: (report) => (observe(m, report), scheduler(report)) };
}

function defineMetrics(registry: Registry) {
  const r = [registry];
  const gauge = (name: string, help: string) => new Gauge({ name: P + name, help, registers: r });
  return {
    buildInfo: new Gauge({ name: `${P}build_info`, help: 'Always 1; the version of anomaly-guard as a label.', labelNames: ['version'], registers: r }),
    probeDuration: new Histogram({ name: `${P}probe_duration_seconds`, help: 'Latency of the health probe (also of a failed one: the time until it failed).', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: r }),
    probeSuccess: gauge('probe_success', '1 when the last health probe was ok, 0 when it failed.'),
    zscore: gauge('latency_zscore', 'The z-score of the last probe latency against the baseline; NaN without a score.'),
    mean: gauge('latency_baseline_mean_seconds', 'Mean latency of the baseline window; NaN until it holds latency.min_samples.'),
    stdev: gauge('latency_baseline_stdev_seconds', 'Sample standard deviation of the baseline window; NaN until it holds latency.min_samples.'),
    cpu: gauge('cpu_ratio', 'Busy share of all CPUs over resources.cpu_sample (0-1); NaN when it could not be read.'),
    mem: gauge('memory_ratio', 'Used share of memory (0-1); NaN when it could not be read.'),
    disk: gauge('disk_ratio', 'Used share of the disk at resources.disk_path (0-1); NaN when it could not be read.'),
    triggers: new Counter({ name: `${P}triggers_total`, help: 'Findings whose action is heal (anomaly_trigger reasons), by reason type.', labelNames: ['reason'], registers: r }),
    warnings: new Counter({ name: `${P}warnings_total`, help: 'Findings whose action is alert (resource_warning reasons), by reason type.', labelNames: ['reason'], registers: r }),
    heals: new Counter({ name: `${P}heals_total`, help: 'Heal commands run, by outcome (ok, failed, timed_out, aborted).', labelNames: ['outcome'], registers: r }),
    suppressed: new Counter({ name: `${P}heals_suppressed_total`, help: 'Heals that were due but did not run, by why.', labelNames: ['why'], registers: r }),
    cycles: new Counter({ name: `${P}cycles_total`, help: 'Cycles finished, by verdict (ok, warning, critical, unknown).', labelNames: ['verdict'], registers: r }),
    cycleDuration: new Histogram({ name: `${P}cycle_duration_seconds`, help: 'Duration of a whole cycle (probe, sample, heal, verify, alerts).', buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300], registers: r }),
    timeouts: new Counter({ name: `${P}cycle_timeouts_total`, help: 'Cycles aborted at cycle_timeout.', registers: r }),
    errors: new Counter({ name: `${P}cycle_errors_total`, help: 'Cycles that failed with an error (e.g. the log could not be read).', registers: r }),
    lastSuccess: gauge('last_successful_cycle_timestamp_seconds', 'When the last cycle completed (not timed out, no error), in seconds since the epoch.'),
  };
}

type Metrics = ReturnType<typeof defineMetrics>;

function observe(m: Metrics, report: CycleReport): void {
  m.cycleDuration.observe(report.durationMs / 1000);
  const result = report.result;
  if (result === null) {
    m.errors.inc();
    m.cycles.labels({ verdict: 'unknown' }).inc();
    return;
  }
  m.cycles.labels({ verdict: VERDICTS[result.status] ?? 'unknown' }).inc();
  if (result.timedOut) m.timeouts.inc();
  else m.lastSuccess.set(report.endedMs / 1000);
  if (result.measurement) {
    const probe = result.measurement.probe;
    m.probeDuration.observe(probe.latencyMs / 1000);
    m.probeSuccess.set(probe.ok ? 1 : 0);
  }
  if (result.assessment) observeFigures(m, result.assessment);
  for (const record of result.records) observeRecord(m, record);
}

function observeFigures(m: Metrics, a: NonNullable<NonNullable<CycleReport['result']>['assessment']>): void {
  const { res, score } = a.check;
  const ratio = (pct: number | null): number => (pct === null ? Number.NaN : pct / 100);
  const seconds = (ms: number | null): number => (ms === null ? Number.NaN : ms / 1000);
  m.zscore.set(score ?? Number.NaN);
  m.mean.set(seconds(a.baseline.mean));
  m.stdev.set(seconds(a.baseline.stdev));
  m.cpu.set(ratio(res.cpu));
  m.mem.set(ratio(res.mem));
  m.disk.set(ratio(res.disk));
}

function observeRecord(m: Metrics, record: GuardRecord): void {
  const event = (record as { event?: string }).event;
  if (event === 'anomaly_trigger' || event === 'resource_warning') {
    const counter = event === 'anomaly_trigger' ? m.triggers : m.warnings;
    for (const reason of (record as { reasons: string[] }).reasons) counter.labels({ reason: reasonType(reason) }).inc();
  } else if (event === 'self_heal') {
    m.heals.labels({ outcome: healOutcome(record as SelfHealRecord) }).inc();
  } else if (event === 'heal_suppressed') {
    m.suppressed.labels({ why: (record as HealSuppressedRecord).why }).inc();
  }
}

/** ok | failed | timed_out | aborted, from a self_heal record. */
export function healOutcome(r: SelfHealRecord): string {
  if (r.aborted) return 'aborted';
  if (r.timed_out) return 'timed_out';
  return r.exit_code === 0 && !r.error ? 'ok' : 'failed';
}
