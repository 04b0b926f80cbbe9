// What the guard would have done over a latency series: the detector's verdict per row, then the latency
// part of a cycle (confirmation N of M, the grace after a heal, the heal budget) with the rows' timestamps
// as the cycle clock. Pure and streaming: memory is bounded by the heal lookback, not by the series.
import type { GuardConfig } from '../../config/config.js';
import { healLookbackMs, healVerdict, type HealBudget } from '../heal-policy.js';
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

/** The simulation settings of a loaded config (heal.command is taken as set: a heal can run). */
export function simOptionsFromConfig(config: GuardConfig): GuardSimOptions {
  const { latency: l, heal: h } = config;
  return {
    detector: { window: l.window, sigma: l.sigma, minSamples: l.minSamples, minStdevMs: l.minStdevMs },
    confirm: { confirm: l.confirm, of: l.confirmOf },
    heal: { cooldownMs: h.cooldownMs, maxPerHour: h.maxPerHour, backoff: h.backoff ? { maxCycles: h.backoffMax, resetMs: h.backoffResetMs } : null, graceMs: h.graceMs },
  };
}

/** "N of the last M rows": a ring of the last M − 1 findings plus the current one. */
function confirmRing(confirm: number, of: number) {
  const ring = new Uint8Array(Math.max(0, of - 1));
  let head = 0;
  let count = 0;
  return (finding: boolean): boolean => {
    const seen = count + (finding ? 1 : 0);
    if (ring.length > 0) {
      count += (finding ? 1 : 0) - (ring[head] as number);
      ring[head] = finding ? 1 : 0;
      head = (head + 1) % ring.length;
    }
    return finding && seen >= confirm;
  };
}

/** Drops the times older than the lookback from a newest-first list (in place). */
function trim(times: number[], nowMs: number, lookbackMs: number): void {
  while (times.length > 0 && nowMs - (times[times.length - 1] as number) > lookbackMs) times.pop();
}

/** Starts a simulation: the detector, confirmation and the heal budget, as one cycle per row. */
export function guardSimulator(spec: DetectorSpec, opts: GuardSimOptions): GuardSimulator {
  const detector = spec.create(opts.detector);
  const confirmed = confirmRing(opts.confirm.confirm, opts.confirm.of);
  const budget: HealBudget = { hasCommand: true, cooldownMs: opts.heal.cooldownMs, maxPerHour: opts.heal.maxPerHour, backoff: opts.heal.backoff ?? null };
  const graceMs = opts.heal.graceMs ?? 0;
  const lookbackMs = healLookbackMs({ cooldownMs: budget.cooldownMs, graceMs, backoffResetMs: budget.backoff?.resetMs ?? 0 });
  // Newest first, as the guard's History holds them; only what the budget can still see.
  const healTimes: number[] = [];
  const triggerTimes: number[] = [];
  let checksSinceHeal = 0;
  let clock = Number.NEGATIVE_INFINITY;
  return {
    step(value, rowMs) {
      // The cycle clock never goes back: a row stamped before the one before it (NAB has one) counts at that time.
      const timeMs = (clock = Math.max(clock, rowMs));
      const verdict = detector.update(value);
      let fired = confirmed(verdict.anomaly);
      const lastHeal = healTimes[0];
      if (fired && lastHeal !== undefined && graceMs > 0 && timeMs - lastHeal < graceMs) fired = false;
      let ran = false;
      if (fired) {
        trim(healTimes, timeMs, lookbackMs);
        trim(triggerTimes, timeMs, lookbackMs);
        ran = healVerdict(budget, { healTimes, triggerTimes, checksSinceHeal }, timeMs).run;
        if (budget.backoff) triggerTimes.unshift(timeMs);
      }
      if (ran) {
        healTimes.unshift(timeMs);
        checksSinceHeal = 0;
      } else checksSinceHeal += 1;
      return { score: verdict.score, anomaly: verdict.anomaly, confirmed: fired, trigger: ran };
    },
  };
}

/** Simulates the guard over a whole series (values as latencies in ms, timesMs as the cycle clock). */
export function simulateGuard(values: readonly number[], timesMs: readonly number[], spec: DetectorSpec, opts: GuardSimOptions): SimRow[] {
  const sim = guardSimulator(spec, opts);
  return values.map((v, i) => sim.step(v, timesMs[i] as number));
}
