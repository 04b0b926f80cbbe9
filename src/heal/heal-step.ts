// The heal step of a cycle: the heal lock, then the budget (cooldown, backoff, rate limit, latch) decided from
// the log as it is under that lock, the run within what is left of cycle_timeout (run-heal.ts), and the
// verification of what the heal was for. The cycle calls it with the two reads it owns: the budget's history
// from the log and the verification probe.
import type { GuardConfig } from '../config/config.js';
import { formatTs } from '../core/format.js';
import { healVerdict, type BudgetState, type HealVerdict } from '../core/heal-policy.js';
import type { Clock } from '../effects/clock.js';
import type { ProcessRunner } from '../effects/process-runner.js';
import type { LockResult } from '../log/lock.js';
import type { AnomalyTriggerRecord, GuardRecord, HealSuppressedRecord, HealVerifyRecord, SelfHealRecord } from '../log/records.js';
import { runHeal } from './run-heal.js';

/** What the heal step did; `verifySkipped` says why there was no verification when one was configured. */
export type HealOutcome =
  | { kind: 'ran'; heal: SelfHealRecord; verify: HealVerifyRecord | null; verifySkipped?: string }
  | { kind: 'suppressed'; record: HealSuppressedRecord };

/** What the heal step touches, passed in by the cycle. */
export interface HealStepDeps {
  clock: Clock;
  runner: ProcessRunner;
  /** Takes the heal lock (one heal at a time per log file, across processes). */
  lockHeal(): LockResult;
  /** Reports a problem that does not stop the cycle. */
  warn(line: string): void;
  /** The budget's history from the log as it is now (read under the heal lock). */
  readBudget(): BudgetState;
  /** Waits heal.verify_after, probes within `probeTimeoutMs` and judges whether the heal did what it was for. */
  verify(probeTimeoutMs: number, signal: AbortSignal): Promise<HealVerifyRecord>;
}

/** The heal a cycle asks for. */
export interface HealRequest {
  trigger: AnomalyTriggerRecord;
  /** A latched budget was released in this cycle (heal_resumed already logged). */
  resumed: boolean;
  /** The monotonic time cycle_timeout ends. */
  deadlineMono: number;
  /** Log what would be done, run nothing. */
  dryRun: boolean;
}

/** Time kept back at the end of a cycle for the records after the heal: 1 s, less for a very short cycle_timeout. */
const reserveMs = (config: GuardConfig): number => Math.min(1000, config.cycleTimeoutMs / 10);

/** The budget state of this cycle from a read made after its check record was appended (the policy counts the
 * current cycle itself); a resume in this cycle clears the counted heals and the latch. */
function budgetState(history: BudgetState, resumed: boolean): BudgetState {
  const checksSinceHeal = Math.max(0, (history.checksSinceHeal ?? 0) - 1);
  if (resumed) return { healTimes: [], triggerTimes: history.triggerTimes ?? [], checksSinceHeal, exhausted: null };
  return { ...history, checksSinceHeal };
}

/** Runs the heal when the lock and the budget allow, emitting each record as it happens. */
export async function healStep(config: GuardConfig, deps: HealStepDeps, req: HealRequest, emit: (record: GuardRecord) => void, signal: AbortSignal): Promise<HealOutcome> {
  const h = config.heal;
  if (req.dryRun) {
    const verdict = decide(config, deps, req);
    if (!verdict.run) return suppressed(config, deps, emit, verdict, req);
    return suppress(deps, emit, 'dry_run', `check --dry-run: would run ${JSON.stringify(h.command)}`);
  }
  // The lock first, then the budget from the log as it is now: two guards due at once heal once.
  const lock = h.command.length > 0 ? deps.lockHeal() : null;
  if (lock !== null && !lock.acquired) return suppress(deps, emit, 'in_progress', `another heal holds ${lock.path} (pid ${lock.pid ?? 'unknown'})`);
  try {
    const verdict = decide(config, deps, req);
    if (!verdict.run) return suppressed(config, deps, emit, verdict, req);
    // The heal must be stopped (kill_grace) and logged before cycle_timeout cuts the cycle off.
    const available = req.deadlineMono - deps.clock.monoMs() - h.killGraceMs - reserveMs(config);
    if (available < Math.min(h.timeoutMs, reserveMs(config))) {
      return suppress(deps, emit, 'no_time', `${Math.max(0, Math.round(req.deadlineMono - deps.clock.monoMs()))} ms left before cycle_timeout, too little to run and stop the heal (heal.kill_grace ${h.killGraceMs} ms)`);
    }
    const timeoutMs = Math.min(h.timeoutMs, available);
    emit({ event: 'heal_start', ts: formatTs(deps.clock.nowMs()), command: h.command });
    // The lock names the heal's process: if this process dies mid-heal, the lock stays held while the heal runs.
    // If that cannot be written, the heal still runs under the lock naming our pid; only that protection is lost.
    const onSpawn = (pid: number): void => {
      try {
        lock?.holdHeal(pid);
      } catch (err) {
        deps.warn(`heal lock ${lock?.path ?? ''}: cannot record the heal's process ${pid}: ${(err as Error).message}`);
      }
    };
    const run = { command: h.command, timeoutMs, killGraceMs: h.killGraceMs, cwd: config.baseDir, signal, onSpawn };
    const heal = await runHeal(req.trigger, run, { runner: deps.runner, clock: deps.clock });
    emit(heal);
    return { kind: 'ran', heal, ...(await verifyStep(config, deps, req.deadlineMono, signal, emit)) };
  } finally {
    lock?.release();
  }
}

// The budget's verdict from the log as it is now (re-read: another guard may have healed since the cycle began).
function decide(config: GuardConfig, deps: HealStepDeps, req: HealRequest): HealVerdict & { state: BudgetState } {
  const h = config.heal;
  const budget = { hasCommand: h.command.length > 0, cooldownMs: h.cooldownMs, maxPerHour: h.maxPerHour, backoff: h.backoff ? { maxCycles: h.backoffMax, resetMs: h.backoffResetMs } : null };
  const state = budgetState(h.command.length > 0 ? deps.readBudget() : emptyHistory(), req.resumed);
  return { ...healVerdict(budget, state, deps.clock.nowMs()), state };
}

function emptyHistory(): BudgetState {
  return { healTimes: [], triggerTimes: [], checksSinceHeal: 0, exhausted: null };
}

// A suppression by the budget; the first rate-limited heal also logs that the budget is spent.
function suppressed(config: GuardConfig, deps: HealStepDeps, emit: (r: GuardRecord) => void, verdict: HealVerdict & { state: BudgetState }, req: HealRequest): HealOutcome {
  if (verdict.run) throw new Error('suppressed() called for a heal that may run');
  const outcome = suppress(deps, emit, verdict.why, verdict.detail);
  if (verdict.why === 'rate_limit' && !verdict.state.exhausted && !req.dryRun) {
    const now = deps.clock.nowMs();
    const heals = verdict.state.healTimes.filter((t) => now - t < 3_600_000).length;
    emit({ event: 'heal_budget_exhausted', ts: formatTs(now), heals_last_hour: heals, max_per_hour: config.heal.maxPerHour, latched: config.heal.stopWhenExhausted });
  }
  return outcome;
}

function suppress(deps: HealStepDeps, emit: (r: GuardRecord) => void, why: HealSuppressedRecord['why'], detail: string): HealOutcome {
  const record: HealSuppressedRecord = { event: 'heal_suppressed', ts: formatTs(deps.clock.nowMs()), why, detail };
  emit(record);
  return { kind: 'suppressed', record };
}

// The verification, when configured and when cycle_timeout leaves time for its wait and a probe.
async function verifyStep(config: GuardConfig, deps: HealStepDeps, deadlineMono: number, signal: AbortSignal, emit: (r: GuardRecord) => void) {
  const wait = config.heal.verifyAfterMs;
  if (wait <= 0) return { verify: null };
  const left = deadlineMono - deps.clock.monoMs() - reserveMs(config);
  if (left < wait + reserveMs(config)) {
    const why = `only ${Math.max(0, Math.round(left))} ms of cycle_timeout left for heal.verify_after (${wait} ms) and a probe; the next cycle judges the service`;
    deps.warn(`heal verification skipped: ${why}`);
    return { verify: null, verifySkipped: why };
  }
  const verify = await deps.verify(left - wait, signal);
  emit(verify);
  return { verify };
}
