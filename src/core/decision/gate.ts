// What a cycle's findings are allowed to do before a trigger is logged: confirmation (N of the last M),
// the start-up grace after a heal, the release of a latched budget, and the end of an incident.
import type { ConfirmPolicy, PendingFinding } from './confirm.js';
import { confirmFindings } from './confirm.js';
import type { Decision } from './route.js';
import type { Finding } from './findings.js';
import { mayResume } from '../heal-policy.js';
import type { History } from '../history.js';

/** The settings the gate applies. */
export interface GatePolicy {
  confirm: ConfirmPolicy;
  graceMs: number;
  resumeAfterMs: number;
}

/** What passes the gate, what is held back and why, and what the cycle ends or releases. */
export interface GateResult {
  heal: Finding[];
  alert: Finding[];
  pending: PendingFinding[];
  /** Heal findings within the grace after a heal, and how long ago that heal was. */
  graced: { findings: Finding[]; sinceHealMs: number } | null;
  /** A latched exhaustion is lifted (healthy for resume_after). */
  resume: boolean;
  /** The open incident is over: its first time and last reasons. */
  recovered: { startTs: number; reasons: string[] } | null;
}

/** What the gate reads of the history: earlier reasons, heals, the budget's latch and the open incident. */
export type GateHistory = Pick<History, 'recentReasons' | 'healTimes' | 'triggerTimes' | 'exhausted' | 'incident'>;

/** Applies confirmation, grace, resume and recovery to a decision (pure). */
export function gate(decision: Decision, probeOk: boolean, history: GateHistory, policy: GatePolicy, nowMs: number): GateResult {
  const heals = confirmFindings(decision.heal, history.recentReasons, policy.confirm);
  const alerts = confirmFindings(decision.alert, history.recentReasons, policy.confirm);
  const lastHeal = history.healTimes[0] ?? null;
  let heal = heals.confirmed;
  let graced: GateResult['graced'] = null;
  if (heal.length > 0 && lastHeal !== null && policy.graceMs > 0 && nowMs - lastHeal < policy.graceMs) {
    graced = { findings: heal, sinceHealMs: nowMs - lastHeal };
    heal = [];
  }
  const anyFinding = decision.heal.length + decision.alert.length > 0;
  const resume = mayResume(history, nowMs, policy.resumeAfterMs, decision.heal.length > 0);
  const clean = probeOk && !anyFinding;
  const recovered = clean && history.incident ? history.incident : null;
  return { heal, alert: alerts.confirmed, pending: [...heals.pending], graced, resume, recovered };
}
