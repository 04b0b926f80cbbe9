// The records a cycle's decision writes: the check record (the seed's fields, then what was added), and
// after it heal_resumed, the trigger, the warning, the held-back heals and recovered, in log order.
import type { HttpPhases } from '../../effects/http-client.js';
import type { CpuTicks } from '../procfs-parse.js';
import type { AnomalyTriggerRecord, CheckLatency, CheckRecord, GuardRecord, HealSuppressedRecord, ResourceWarningRecord } from '../../log/records.js';
import type { Baseline } from '../baseline.js';
import { roundMs, roundOrNull, roundPct } from '../format.js';
import type { GateResult } from './gate.js';
import type { DecisionPolicy, Measured } from './inputs.js';

/** The host's figures as logged (rounded). */
export type LoggedFigures = { cpu: number | null; mem: number | null; disk: number | null };

/** What the check record is built from besides the measurement. */
export interface CheckParts {
  ts: string;
  nowMs: number;
  latencyMs: number;
  score: number | null;
  res: LoggedFigures;
  baseline: Baseline;
  findings: string[];
  dismissed: string | null;
}

/** The check record: the seed's fields, then what was added (re-probes, the CPU reading, the findings). */
export function checkRecord(policy: DecisionPolicy, m: Measured, p: CheckParts): CheckRecord {
  const { baseline } = p;
  const stats = !m.probe.ok || baseline.mean === null ? { mean: null, stdev: null } : { mean: roundOrNull(baseline.mean, roundMs), stdev: roundOrNull(baseline.stdev, roundMs) };
  const reprobes = m.reprobes.map((r) => ({ latency_ms: roundMs(r.probe.latencyMs), ok: r.probe.ok }));
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
      ...(m.probe.queuedMs !== undefined && m.probe.queuedMs > 0 ? { queued_ms: roundMs(m.probe.queuedMs) } : {}),
      ...(reprobes.length > 0 ? { reprobes } : {}),
    },
    res: Object.assign({}, p.res, cpuFields(policy, m), serviceFields(m)),
    score: p.score,
    ...stats,
    ...(detector ? { detector } : {}),
    ...(m.history.newestTs !== null && p.nowMs < m.history.newestTs - 1000 ? { clock_back_ms: roundMs(m.history.newestTs - p.nowMs) } : {}),
    ...(p.findings.length > 0 ? { reasons: p.findings } : {}),
    ...(p.dismissed !== null ? { dismissed: [p.dismissed] } : {}),
  };
}

// CPU over the interval needs this check's reading in the next one; the seed's records stay as they were.
function cpuFields(policy: DecisionPolicy, m: Measured) {
  if (policy.resources.cpuOver !== 'interval') return {};
  const fields: { cpu_ticks?: CpuTicks; cpu_span_ms?: number } = {};
  if (m.host.cpuTicks) fields.cpu_ticks = m.host.cpuTicks;
  if (m.host.cpuSpanMs !== null && m.host.cpu !== null) fields.cpu_span_ms = roundMs(m.host.cpuSpanMs);
  return fields;
}

// The service's own figures (resources.service) and the counters the next check measures its CPU from.
function serviceFields(m: Measured) {
  const s = m.service;
  if (s === null) return {};
  return {
    service: {
      name: s.name,
      cpu: roundOrNull(s.cpu, roundPct),
      mem: roundOrNull(s.mem, roundPct),
      ...(s.reading ? { usage_us: s.reading.usageUs, cpus: s.reading.cpus, source: s.reading.source } : {}),
      ...(s.spanMs !== null && s.cpu !== null ? { cpu_span_ms: roundMs(s.spanMs) } : {}),
    },
  };
}

// The request's phases as lat fields, those reached only, rounded like every ms field; how its connection was got.
function phaseFields(p: HttpPhases | undefined): Partial<CheckLatency> {
  const fields: Partial<CheckLatency> = {};
  if (p?.dnsMs !== undefined) fields.dns_ms = roundMs(p.dnsMs);
  if (p?.connectMs !== undefined) fields.connect_ms = roundMs(p.connectMs);
  if (p?.tlsMs !== undefined) fields.tls_ms = roundMs(p.tlsMs);
  if (p?.firstByteMs !== undefined) fields.first_byte_ms = roundMs(p.firstByteMs);
  if (p?.reused !== undefined) fields.reused = p.reused;
  if (p?.retried === true) fields.retried = true;
  return fields;
}

/** The anomaly_trigger of the heal findings that passed the gate, or null. */
export function triggerRecord(g: GateResult, ts: string, latencyMs: number, score: number | null, res: LoggedFigures): AnomalyTriggerRecord | null {
  return g.heal.length === 0 ? null : { event: 'anomaly_trigger', ts, reasons: g.heal.map((f) => f.reason), latency: latencyMs, score, ...res };
}

/** The resource_warning of the alert findings that passed the gate, or null. */
export function warningRecord(g: GateResult, ts: string, res: LoggedFigures): ResourceWarningRecord | null {
  return g.alert.length === 0 ? null : { event: 'resource_warning', ts, reasons: g.alert.map((f) => f.reason), ...res };
}

/** The records after the check, in log order: heal_resumed, the trigger, the warning, held-back heals, recovered. */
export function gateRecords(g: GateResult, ts: string, nowMs: number, trigger: AnomalyTriggerRecord | null, warning: ResourceWarningRecord | null): GuardRecord[] {
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
