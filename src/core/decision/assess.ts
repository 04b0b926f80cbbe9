// The decision of one cycle, pure (the time is passed in): from what was measured to the findings, what
// passes the gate, the records to write and the check's exit status. The cycle (cycle/check-cycle.ts) only
// measures, appends these records and runs the heal and the alerts.
//
// The family, one behaviour per file:
//   inputs.ts    what it reads: the settings (DecisionPolicy) and what a cycle measured (Measured)
//   findings.ts  the seed's detection table: figures → findings with their reason strings (kinds.ts)
//   route.ts     each finding to heal, alert or log (`actions`), and latency.on_busy_host
//   confirm.ts   "N of the last M cycles" (latency.confirm_of, resources.confirm_of) from earlier reasons
//   gate.ts      confirmation, the grace after a heal, the release of a latched budget, the end of an incident
//   status.ts    the exit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
//   records.ts   the check record and the records after it (trigger, warning, held-back heals, recovered)
//   assess.ts    this file: the steps above in order
// Around it: latency-judge.ts (the latency's verdict, baseline.ts's z-score or another detector) runs
// while measuring, and heal-policy.ts (cooldown, backoff, rate limit) decides a triggered heal under the
// heal lock, from the log as it is then.
import { computeBaseline, type Baseline } from '../baseline.js';
import { formatTs, roundMs, roundOrNull, roundPct } from '../format.js';
import type { AnomalyTriggerRecord, CheckRecord, GuardRecord, ResourceWarningRecord } from '../../log/records.js';
import { evaluateFindings, type CycleFigures, type Finding } from './findings.js';
import { gate, type GateHistory, type GateResult } from './gate.js';
import { gatePolicy, type DecisionPolicy, type Measured } from './inputs.js';
import { checkRecord, gateRecords, triggerRecord, warningRecord } from './records.js';
import { busyHost, decide, type Decision } from './route.js';
import { exitStatus, type CheckStatus } from './status.js';
import { merged } from '../merged.js';

/** Findings, routes, gate and status of one cycle's figures. */
export interface CycleDecision {
  findings: Finding[];
  /** Every finding by its action, before confirmation and grace. */
  decision: Decision;
  gate: GateResult;
  status: CheckStatus;
}

/** Decides a cycle from its rounded figures: the table, the routes, the gate and the exit status. */
export function decideCycle(figures: CycleFigures, history: GateHistory, policy: DecisionPolicy, nowMs: number, stallExplains = false): CycleDecision {
  const r = policy.resources;
  const findings = evaluateFindings(figures, r);
  const busy = { onBusyHost: policy.latency.onBusyHost, cpu: figures.cpu, mem: figures.mem, cpuCritical: r.cpuCritical, memCritical: r.memCritical };
  // A probe that spent half its time or more in the guard's own stall measured the guard: what a stall
  // explains (its latency, a timeout) is logged only.
  const actions = stallExplains ? stalledActions(policy.actions, figures.detail) : policy.actions;
  const decision = busyHost(decide(findings, actions), busy);
  const g = gate(decision, figures.ok, history, gatePolicy(policy), nowMs);
  return { findings, decision, gate: g, status: exitStatus(g) };
}

/** The records and decision of one cycle. */
export interface Assessment extends CycleDecision {
  baseline: Baseline;
  /** A latency anomaly that quick re-probes disproved (a blip): its reason, or null. */
  dismissed: string | null;
  check: CheckRecord;
  trigger: AnomalyTriggerRecord | null;
  warning: ResourceWarningRecord | null;
  /** Records after the check: heal_resumed, the trigger, the warning, held-back heals, recovered — in log order. */
  records: GuardRecord[];
}

/** Scores the latency, applies the decision table and the gate, and builds the records (pure: `nowMs` is passed in). */
export function assess(policy: DecisionPolicy, m: Measured, nowMs: number): Assessment {
  const ts = formatTs(nowMs);
  const judged = m.latency;
  const baseline = judged?.baseline ?? computeBaseline(m.history.window.slice(-policy.latency.window), policy.latency.minSamples);
  const latencyMs = roundMs(m.probe.latencyMs);
  const score = judged?.score ?? null;
  const anomaly = standingAnomaly(policy, m);
  const dismissed = judged?.anomaly != null && anomaly === null ? judged.anomaly : null;
  const res = { cpu: roundOrNull(m.host.cpu, roundPct), mem: roundOrNull(m.host.mem, roundPct), disk: roundOrNull(m.host.disk, roundPct) };
  const service = m.service === null ? null : { name: m.service.name, cpu: roundOrNull(m.service.cpu, roundPct), mem: roundOrNull(m.service.mem, roundPct) };
  const stalledMs = m.stalledMs ?? 0;
  // A short stall in a long probe (a hung service's 10 s timeout on a busy host) explains nothing: it heals.
  const stallExplains = stalledMs > 0 && 2 * stalledMs >= m.probe.latencyMs;
  const decided = decideCycle({ ok: m.probe.ok, detail: m.probe.detail, latency: anomaly, ...res, service }, m.history, policy, nowMs, stallExplains);
  const trigger = triggerRecord(decided.gate, ts, latencyMs, score, res);
  const warning = warningRecord(decided.gate, ts, res);
  const check = checkRecord(policy, m, { ts, nowMs, latencyMs, score, res, baseline, findings: decided.findings.map((f) => f.reason), dismissed });
  if (!learnsFrom(policy, m, decided.decision)) check.in_baseline = false;
  if (stalledMs > 0) Object.assign(check, { in_baseline: false, stalled_ms: roundMs(stalledMs) });
  const records = gateRecords(decided.gate, ts, nowMs, trigger, warning);
  return merged(decided, { baseline, dismissed, check, trigger, warning, records });
}

// The actions of a stalled check: a latency finding, and a timeout, are the guard's own slowness: logged only.
function stalledActions(actions: DecisionPolicy['actions'], detail: string | null): DecisionPolicy['actions'] {
  return merged(actions, { latency: 'log' as const, unhealthy: detail?.startsWith('timeout') ? ('log' as const) : actions.unhealthy });
}

// An anomaly stands when every quick re-probe was anomalous too; one normal re-probe makes it a blip.
function standingAnomaly(policy: DecisionPolicy, m: Measured): string | null {
  const reason = m.latency?.anomaly ?? null;
  if (reason === null) return null;
  const confirmed = policy.latency.confirmProbes === 0 || (m.reprobes.length > 0 && m.reprobes.every((r) => r.anomalous));
  return confirmed ? reason : null;
}

// Under latency.learn: normal the baseline keeps what is normal: no anomaly, nothing of a cycle that found a reason to
// heal. A stalled service's latencies never enter it, so it stays the pre-incident one until they are normal again.
function learnsFrom(policy: DecisionPolicy, m: Measured, decision: Decision): boolean {
  return !(policy.latency.learn === 'normal' && m.probe.ok && (m.latency?.anomaly != null || decision.heal.length > 0));
}
