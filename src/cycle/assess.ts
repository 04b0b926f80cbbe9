// The pure middle of a cycle: from what was measured to the records to write and the decision.
import type { GuardConfig } from '../config/config.js';
import { computeBaseline, zScore, type Baseline } from '../core/baseline.js';
import { decide, type Decision } from '../core/decide.js';
import { evaluateFindings } from '../core/findings.js';
import { formatTs, roundMs, roundOrNull, roundPct, roundScore } from '../core/format.js';
import type { AnomalyTriggerRecord, CheckRecord, ResourceWarningRecord } from '../log/records.js';
import type { Measurement } from './measure.js';

/** The records and decision of one cycle. */
export interface Assessment {
  baseline: Baseline;
  check: CheckRecord;
  decision: Decision;
  trigger: AnomalyTriggerRecord | null;
  warning: ResourceWarningRecord | null;
}

/** Scores the latency, applies the decision table and builds the records (pure: `nowMs` is passed in). */
export function assess(config: GuardConfig, m: Measurement, nowMs: number): Assessment {
  const ts = formatTs(nowMs);
  const baseline = computeBaseline(m.history.window, config.latency.minSamples);
  const latencyMs = roundMs(m.probe.latencyMs);
  const rawScore = zScore(m.probe.latencyMs, m.probe.ok, baseline, config.latency.minStdevMs);
  const score = roundOrNull(rawScore, roundScore);
  const res = { cpu: roundOrNull(m.host.cpu, roundPct), mem: roundOrNull(m.host.mem, roundPct), disk: roundOrNull(m.host.disk, roundPct) };
  const findings = evaluateFindings(
    { ok: m.probe.ok, detail: m.probe.detail, score, ...res },
    { sigma: config.latency.sigma, cpuCritical: config.resources.cpuCritical, memCritical: config.resources.memCritical, diskWarning: config.resources.diskWarning },
  );
  const decision = decide(findings, config.actions);
  const stats = !m.probe.ok || baseline.mean === null ? { mean: null, stdev: null } : { mean: roundOrNull(baseline.mean, roundMs), stdev: roundOrNull(baseline.stdev, roundMs) };
  const check: CheckRecord = {
    ts,
    lat: { latency_ms: latencyMs, ok: m.probe.ok, http_status: m.probe.httpStatus, ...(m.probe.ok ? {} : { error: m.probe.detail }) },
    res,
    score,
    ...stats,
    ...(findings.length > 0 ? { reasons: findings.map((f) => f.reason) } : {}),
  };
  const trigger: AnomalyTriggerRecord | null =
    decision.heal.length === 0 ? null : { event: 'anomaly_trigger', ts, reasons: decision.heal.map((f) => f.reason), latency: latencyMs, score, ...res };
  const warning: ResourceWarningRecord | null =
    decision.alert.length === 0 ? null : { event: 'resource_warning', ts, reasons: decision.alert.map((f) => f.reason), ...res };
  return { baseline, check, decision, trigger, warning };
}
