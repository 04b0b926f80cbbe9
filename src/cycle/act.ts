// The heal step of a cycle: budget (cooldown, backoff, rate limit, latch), the lock, the run, the verify.
import type { GuardConfig } from '../config/config.js';
import { formatTs, roundMs } from '../core/format.js';
import { healVerdict, type BudgetState } from '../core/heal-policy.js';
import type { History } from '../core/history.js';
import { runHeal } from '../heal/run-heal.js';
import type { AnomalyTriggerRecord, GuardRecord, HealSuppressedRecord, HealVerifyRecord, SelfHealRecord } from '../log/records.js';
import type { CycleDeps } from './deps.js';
import { probeOnce } from './measure.js';

/** What the heal step did. */
export type HealOutcome =
  | { kind: 'ran'; heal: SelfHealRecord; verify: HealVerifyRecord | null }
  | { kind: 'suppressed'; record: HealSuppressedRecord };

/** The budget state of this cycle; a resume in this cycle clears the counted heals and the latch. */
function budgetState(history: History, resumed: boolean): BudgetState {
  if (resumed) return { healTimes: [], triggerTimes: history.triggerTimes, checksSinceHeal: history.checksSinceHeal, exhausted: null };
  return history;
}

/** Runs the heal when the budget and the lock allow, emitting each record as it happens. */
export async function healStep(
  config: GuardConfig,
  deps: CycleDeps,
  trigger: AnomalyTriggerRecord,
  history: History,
  resumed: boolean,
  emit: (record: GuardRecord) => void,
  signal: AbortSignal,
): Promise<HealOutcome> {
  const h = config.heal;
  const budget = { hasCommand: h.command.length > 0, cooldownMs: h.cooldownMs, maxPerHour: h.maxPerHour, backoff: h.backoff ? { maxCycles: h.backoffMax, resetMs: h.backoffResetMs } : null };
  const state = budgetState(history, resumed);
  const verdict = healVerdict(budget, state, deps.clock.nowMs());
  if (!verdict.run) {
    const outcome = suppress(deps, emit, verdict.why, verdict.detail);
    if (verdict.why === 'rate_limit' && !state.exhausted) {
      const heals = state.healTimes.filter((t) => deps.clock.nowMs() - t < 3_600_000).length;
      emit({ event: 'heal_budget_exhausted', ts: formatTs(deps.clock.nowMs()), heals_last_hour: heals, max_per_hour: h.maxPerHour, latched: h.stopWhenExhausted });
    }
    return outcome;
  }
  const lock = deps.lockHeal();
  if (!lock.acquired) return suppress(deps, emit, 'in_progress', `another heal holds ${lock.path} (pid ${lock.pid ?? 'unknown'})`);
  try {
    emit({ event: 'heal_start', ts: formatTs(deps.clock.nowMs()), command: h.command });
    // The lock names the heal's process: if this process dies mid-heal, the lock stays held while the heal runs.
    // If that cannot be written, the heal still runs under the lock naming our pid; only that protection is lost.
    const onSpawn = (pid: number): void => {
      try {
        lock.holdHeal(pid);
      } catch (err) {
        deps.warn(`heal lock ${lock.path}: cannot record the heal's process ${pid}: ${(err as Error).message}`);
      }
    };
    const run = { command: h.command, timeoutMs: h.timeoutMs, killGraceMs: h.killGraceMs, cwd: config.baseDir, signal, onSpawn };
    const heal = await runHeal(trigger, run, { runner: deps.runner, clock: deps.clock });
    emit(heal);
    const verify = h.verifyAfterMs > 0 ? await verifyStep(config, deps, signal) : null;
    if (verify) emit(verify);
    return { kind: 'ran', heal, verify };
  } finally {
    lock.release();
  }
}

function suppress(deps: CycleDeps, emit: (r: GuardRecord) => void, why: HealSuppressedRecord['why'], detail: string): HealOutcome {
  const record: HealSuppressedRecord = { event: 'heal_suppressed', ts: formatTs(deps.clock.nowMs()), why, detail };
  emit(record);
  return { kind: 'suppressed', record };
}

async function verifyStep(config: GuardConfig, deps: CycleDeps, signal: AbortSignal): Promise<HealVerifyRecord> {
  await deps.clock.sleep(config.heal.verifyAfterMs, signal);
  const probe = await probeOnce(config, deps, signal);
  return {
    event: 'heal_verify',
    ts: formatTs(deps.clock.nowMs()),
    recovered: probe.ok,
    latency_ms: roundMs(probe.latencyMs),
    ...(probe.ok ? {} : { error: probe.detail }),
  };
}
