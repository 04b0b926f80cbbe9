// The pure middle of a cycle: from what was measured to the records to write and the decision.
import type { GuardConfig } from '../config/config.js';
import { computeBaseline, type Baseline } from '../core/baseline.js';
import { decide, type CheckStatus, type Decision } from '../core/decide.js';
import { evaluateFindings } from '../core/findings.js';
import { formatTs, roundMs, roundOrNull, roundPct } from '../core/format.js';
import { gate, type GateResult } from '../core/gate.js';
import type { HttpPhases } from '../effects/http-client.js';
import type { AnomalyTriggerRecord, CheckLatency, CheckRecord, GuardRecord, HealSuppressedRecord, ResourceWarningRecord } from '../log/records.js';
import type { Measurement } from './measure.js';

/** The records and decision of one cycle. */
export interface Assessment {
  baseline: Baseline;
  /** A latency anomaly that quick re-probes disproved (a blip): its reason, or null. */
  dismissed: string | null;
  check: CheckRecord;
  /** Every finding by its action, before confirmation and grace. */
  decision: Decision;
  gate: GateResult;
  trigger: AnomalyTriggerRecord | null;
  warning: ResourceWarningRecord | null;
  /** Records after the check: heal_resumed, the trigger, the warning, held-back heals, recovered — in log order. */
  records: GuardRecord[];
  status: CheckStatus;
}

/** Scores the latency, applies the decision table and the gate, and builds the records (pure: `nowMs` is passed in). */
export function assess(config: GuardConfig, m: Measurement, nowMs: number): Assessment {
  const ts = formatTs(nowMs);
  const judged = m.latency;
  const baseline = judged?.baseline ?? computeBaseline(m.history.window.slice(-config.latency.window), config.latency.minSamples);
  const latencyMs = roundMs(m.probe.latencyMs);
  const score = judged?.score ?? null;
  // An anomaly stands when every quick re-probe was anomalous too; one normal re-probe makes it a blip.
  const confirmed = judged?.anomaly != null && (config.latency.confirmProbes === 0 || (m.reprobes.length > 0 && m.reprobes.every((r) => r.anomalous)));
  const dismissed = judged?.anomaly != null && !confirmed ? judged.anomaly : null;
  const res = { cpu: roundOrNull(m.host.cpu, roundPct), mem: roundOrNull(m.host.mem, roundPct), disk: roundOrNull(m.host.disk, roundPct) };
  // With resources.service, cpu and mem findings judge the service's own figures; disk stays the host's.
  const own = m.service === null ? null : { cpu: roundOrNull(m.service.cpu, roundPct), mem: roundOrNull(m.service.mem, roundPct), owner: m.service.name };
  const findings = evaluateFindings(
    { ok: m.probe.ok, detail: m.probe.detail, score, ...res, ...(own ?? {}), latency: { anomaly: confirmed, reason: judged?.anomaly ?? '' } },
    { sigma: config.latency.sigma, cpuCritical: config.resources.cpuCritical, memCritical: config.resources.memCritical, diskWarning: config.resources.diskWarning },
  );
  // A probe timed across the guard's own stall measured the guard: what a stall explains (its latency, a timeout) is logged only.
  const stalledMs = m.stalledMs ?? 0;
  const decision = busyHost(config, decide(findings, stalledMs > 0 ? stalledActions(config.actions, m.probe.detail) : config.actions), res);
  const g = gate(decision, m.probe.ok, m.history, gatePolicy(config), nowMs);
  const trigger: AnomalyTriggerRecord | null = g.heal.length === 0 ? null : { event: 'anomaly_trigger', ts, reasons: g.heal.map((f) => f.reason), latency: latencyMs, score, ...res };
  const warning: ResourceWarningRecord | null = g.alert.length === 0 ? null : { event: 'resource_warning', ts, reasons: g.alert.map((f) => f.reason), ...res };
  const check = checkRecord(config, m, { ts, nowMs, latencyMs, score, res, baseline, findings: findings.map((f) => f.reason), dismissed });
  // Under latency.learn: normal the baseline keeps what is normal: no anomaly, nothing of a cycle that found a reason to
  // heal. A stalled service's latencies never enter it, so it stays the pre-incident one until they are normal again.
  if (config.latency.learn === 'normal' && m.probe.ok && (judged?.anomaly != null || decision.heal.length > 0)) check.in_baseline = false;
  if (stalledMs > 0) Object.assign(check, { in_baseline: false, stalled_ms: roundMs(stalledMs) });
  const records = gateRecords(g, ts, nowMs, trigger, warning);
  const status: CheckStatus = trigger ? 2 : warning || g.pending.length > 0 || g.graced ? 1 : 0;
  return { baseline, dismissed, check, decision, gate: g, trigger, warning, records, status };
}

type CheckParts = {
  ts: string;
  nowMs: number;
  latencyMs: number;
  score: number | null;
  res: { cpu: number | null; mem: number | null; disk: number | null };
  baseline: Baseline;
  findings: string[];
  dismissed: string | null;
};

// The check record: the seed's fields, then what was added (re-probes, the CPU reading, the findings).
function checkRecord(config: GuardConfig, m: Measurement, p: CheckParts): CheckRecord {
  const { baseline } = p;
  const stats = !m.probe.ok || baseline.mean === null ? { mean: null, stdev: null } : { mean: roundOrNull(baseline.mean, roundMs), stdev: roundOrNull(baseline.stdev, roundMs) };
  const reprobes = m.reprobes.map((r) => ({ latency_ms: roundMs(r.probe.latencyMs), ok: r.probe.ok }));
  // CPU over the interval needs this check's reading in the next one; the seed's records stay as they were.
  const cpuExtra = config.resources.cpuOver !== 'interval' ? {} : {
    ...(m.host.cpuTicks ? { cpu_ticks: m.host.cpuTicks } : {}),
    ...(m.host.cpuSpanMs !== null && m.host.cpu !== null ? { cpu_span_ms: roundMs(m.host.cpuSpanMs) } : {}),
  };
  const s = m.service;
  const service = s === null ? {} : {
    service: {
      name: s.name,
      cpu: roundOrNull(s.cpu, roundPct),
      mem: roundOrNull(s.mem, roundPct),
      ...(s.reading ? { usage_us: s.reading.usageUs, cpus: s.reading.cpus, source: s.reading.source } : {}),
      ...(s.spanMs !== null && s.cpu !== null ? { cpu_span_ms: roundMs(s.spanMs) } : {}),
    },
  };
  const detector = m.latency?.detector?.record;
  return {
    ts: p.ts,
    lat: {
      latency_ms: p.latencyMs,
      ok: m.probe.ok,
      http_status: m.probe.httpStatus,
      ...(m.probe.ok ? {} : { error: m.probe.detail }),
      ...(m.attempts > 1 ? { attempts: m.attempts } : {}),
      ...phaseFields(m.probe.phases),
      ...(reprobes.length > 0 ? { reprobes } : {}),
    },
    res: { ...p.res, ...cpuExtra, ...service },
    score: p.score,
    ...stats,
    ...(detector ? { detector } : {}),
    ...(m.history.newestTs !== null && p.nowMs < m.history.newestTs - 1000 ? { clock_back_ms: roundMs(m.history.newestTs - p.nowMs) } : {}),
    ...(p.findings.length > 0 ? { reasons: p.findings } : {}),
    ...(p.dismissed !== null ? { dismissed: [p.dismissed] } : {}),
  };
}

// The request's phases as lat fields, those reached only, rounded like every ms field.
function phaseFields(p: HttpPhases | undefined): Partial<CheckLatency> {
  const fields: Partial<CheckLatency> = {};
  if (p?.dnsMs !== undefined) fields.dns_ms = roundMs(p.dnsMs);
  if (p?.connectMs !== undefined) fields.connect_ms = roundMs(p.connectMs);
  if (p?.tlsMs !== undefined) fields.tls_ms = roundMs(p.tlsMs);
  if (p?.firstByteMs !== undefined) fields.first_byte_ms = roundMs(p.firstByteMs);
  return fields;
}

function stalledActions(actions: GuardConfig['actions'], detail: string | null): GuardConfig['actions'] {
  return { ...actions, latency: 'log', ...(detail?.startsWith('timeout') ? { unhealthy: 'log' as const } : {}) };
}

function gatePolicy(config: GuardConfig) {
  return {
    confirm: { latency: { confirm: config.latency.confirm, of: config.latency.confirmOf }, resources: { confirm: config.resources.confirm, of: config.resources.confirmOf } },
    graceMs: config.heal.graceMs,
    resumeAfterMs: config.heal.resumeAfterMs,
  };
}

function gateRecords(g: GateResult, ts: string, nowMs: number, trigger: AnomalyTriggerRecord | null, warning: ResourceWarningRecord | null): GuardRecord[] {
  const out: GuardRecord[] = [];
  if (g.resume) out.push({ event: 'heal_resumed', ts, why: 'healthy', detail: 'no trigger for heal.resume_after' });
  if (trigger) out.push(trigger);
  if (warning) out.push(warning);
  for (const p of g.pending) {
    const held: HealSuppressedRecord = { event: 'heal_suppressed', ts, why: 'unconfirmed', detail: `${p.finding.reason}: seen in ${p.seen} of the last ${p.of} cycles, ${p.need} needed` };
    out.push(held);
  }
  if (g.graced) {
    const reasons = g.graced.findings.map((f) => f.reason).join('; ');
    out.push({ event: 'heal_suppressed', ts, why: 'grace', detail: `${reasons}: within heal.grace, ${Math.round(g.graced.sinceHealMs / 1000)}s after the last heal` });
  }
  if (g.recovered) out.push({ event: 'recovered', ts, cleared: g.recovered.reasons, duration_ms: roundMs(nowMs - g.recovered.startTs) });
  return out;
}

// latency.on_busy_host: alert: while the host's own CPU or memory is past its threshold, a latency finding is the
// host's slowness as much as the service's, and a restart would not help: it alerts instead of healing.
function busyHost(config: GuardConfig, d: Decision, res: { cpu: number | null; mem: number | null }): Decision {
  const r = config.resources;
  const busy = (res.cpu !== null && res.cpu > r.cpuCritical) || (res.mem !== null && res.mem > r.memCritical);
  if (config.latency.onBusyHost !== 'alert' || !busy || !d.heal.some((f) => f.kind === 'latency')) return d;
  return { ...d, heal: d.heal.filter((f) => f.kind !== 'latency'), alert: [...d.alert, ...d.heal.filter((f) => f.kind === 'latency')] };
}
