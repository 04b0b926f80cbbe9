// What the guard would have done over a latency series: the detector's verdict per row, then the latency
// part of a cycle with the rows' timestamps as the cycle clock: the decision's own gate (confirmation N of M,
// the grace after a heal) and the heal budget. Pure and streaming: memory is bounded by the heal lookback
// and confirm_of, not by the series.
import { gate, type GateHistory, type GatePolicy } from '../decision/gate.js';
import type { Decision } from '../decision/route.js';
import { healLookbackMs, healVerdict, type HealBudget } from '../heal-policy.js';
import { latencyReason } from '../kinds.js';
import type { DetectorOptions, DetectorSpec } from './types.js';

/** The latency settings of a simulated guard (the config's latency.* and heal.* keys). */
export interface GuardSimOptions {
  detector: DetectorOptions;
  confirm: { confirm: number; of: number };
  heal: { cooldownMs: number; maxPerHour: number; backoff?: { maxCycles: number; resetMs: number } | null; graceMs?: number };
}

/** One row of a simulation. */
export interface SimRow {
  /** The detector's anomaly score in [0, 1]. */
  score: number;
  /** The detector's own decision: a latency finding (listed in the check record's reasons). */
  anomaly: boolean;
  /** The finding passed confirmation and grace: the guard would have logged an anomaly_trigger. */
  confirmed: boolean;
  /** The heal budget let the heal run: a restart the user would have paid for. */
  trigger: boolean;
}

/** A stepper that simulates the guard one row at a time (rows in time order; a row stamped earlier counts at the latest time seen). */
export interface GuardSimulator {
  step(value: number, timeMs: number): SimRow;
}

/** A row without a finding (shared, never changed). */
const NO_FINDING: Decision = Object.freeze({ heal: [], alert: [], log: [] }) as Decision;

const NO_REASONS: string[] = [];

/** The latency row as a cycle's decision: its finding goes to heal (the latency action the simulation prices). */
function rowDecision(name: string, anomaly: boolean, score: number): Decision {
  return anomaly ? { heal: [{ kind: 'latency', reason: latencyReason(name, score) }], alert: [], log: [] } : NO_FINDING;
}

/** Drops the times older than the lookback from a newest-first list (in place). */
function trim(times: number[], nowMs: number, lookbackMs: number): void {
  while (times.length > 0 && nowMs - (times[times.length - 1] as number) > lookbackMs) times.pop();
}

/** Starts a simulation: the detector, confirmation and the heal budget, as one cycle per row. */
export function guardSimulator(spec: DetectorSpec, opts: GuardSimOptions): GuardSimulator {
  const detector = spec.create(opts.detector);
  const budget: HealBudget = { hasCommand: true, cooldownMs: opts.heal.cooldownMs, maxPerHour: opts.heal.maxPerHour, backoff: opts.heal.backoff ?? null };
  const policy: GatePolicy = { confirm: { latency: opts.confirm, resources: opts.confirm }, graceMs: opts.heal.graceMs ?? 0, resumeAfterMs: 0 };
  const lookbackMs = healLookbackMs({ cooldownMs: budget.cooldownMs, graceMs: policy.graceMs, backoffResetMs: budget.backoff?.resetMs ?? 0 });
  // Newest first, as the guard's History holds them; only what confirmation and the budget can still see.
  const h: GateHistory = { recentReasons: [], healTimes: [], triggerTimes: [], exhausted: null, incident: null };
  let checksSinceHeal = 0;
  let clock = Number.NEGATIVE_INFINITY;
  return {
    step(value, rowMs) {
      // The cycle clock never goes back: a row stamped before the one before it (NAB has one) counts at that time.
      const timeMs = (clock = Math.max(clock, rowMs));
      const verdict = detector.update(value);
      const decision = rowDecision(spec.name, verdict.anomaly, verdict.score);
      // A row without a finding cannot pass the gate: most rows skip it.
      const fired = decision.heal.length > 0 && gate(decision, true, h, policy, timeMs).heal.length > 0;
      let ran = false;
      if (fired) {
        trim(h.healTimes, timeMs, lookbackMs);
        trim(h.triggerTimes, timeMs, lookbackMs);
        ran = healVerdict(budget, { healTimes: h.healTimes, triggerTimes: h.triggerTimes, checksSinceHeal }, timeMs).run;
        if (budget.backoff) h.triggerTimes.unshift(timeMs);
      }
      if (ran) {
        h.healTimes.unshift(timeMs);
        checksSinceHeal = 0;
      } else checksSinceHeal += 1;
      remember(h.recentReasons, decision === NO_FINDING ? NO_REASONS : decision.heal.map((f) => f.reason), opts.confirm.of - 1);
      return { score: verdict.score, anomaly: verdict.anomaly, confirmed: fired, trigger: ran };
    },
  };
}

/** Keeps this row's reasons as the newest of the last `keep` rows (newest first, in place). */
function remember(recent: string[][], reasons: string[], keep: number): void {
  recent.unshift(reasons);
  if (recent.length > keep) recent.length = Math.max(0, keep);
}

/** Simulates the guard over a whole series (values as latencies in ms, timesMs as the cycle clock). */
export function simulateGuard(values: readonly number[], timesMs: readonly number[], spec: DetectorSpec, opts: GuardSimOptions): SimRow[] {
  const sim = guardSimulator(spec, opts);
  return values.map((v, i) => sim.step(v, timesMs[i] as number));
}
