// The heal budget: cooldown, backoff, restart-storm guard and its latch, decided from the heals and
// triggers in the log (so the budget survives restarts and is shared by one-shot checks and the daemon).
import type { SuppressWhy } from '../log/records.js';

/** The budget settings. */
export interface HealBudget {
  hasCommand: boolean;
  cooldownMs: number;
  maxPerHour: number;
  backoff?: { maxCycles: number; resetMs: number } | null;
}

/** What the budget is decided from (newest first, as History holds them). */
export interface BudgetState {
  healTimes: readonly number[];
  triggerTimes?: readonly number[];
  checksSinceHeal?: number;
  exhausted?: { ts: number; latched: boolean } | null;
}

/** Whether a due heal may run now, and if not, why (with a human detail). */
export type HealVerdict = { run: true } | { run: false; why: SuppressWhy; detail: string };

const HOUR_MS = 3_600_000;

/** Decides a due heal: no_command, then a latched exhaustion, cooldown, backoff, rate limit. */
export function healVerdict(budget: HealBudget, state: BudgetState | readonly number[], nowMs: number): HealVerdict {
  const s: BudgetState = Array.isArray(state) ? { healTimes: state } : (state as BudgetState);
  if (!budget.hasCommand) return { run: false, why: 'no_command', detail: 'heal.command is empty' };
  if (s.exhausted?.latched) {
    return { run: false, why: 'exhausted', detail: 'the heal budget was spent; healing stays off until the service is healthy for heal.resume_after or `anomaly-guard heal-reset`' };
  }
  const last = s.healTimes.length > 0 ? Math.max(...s.healTimes) : null;
  if (last !== null && budget.cooldownMs > 0 && nowMs - last < budget.cooldownMs) {
    const leftS = Math.ceil((budget.cooldownMs - (nowMs - last)) / 1000);
    return { run: false, why: 'cooldown', detail: `last heal ${Math.round((nowMs - last) / 1000)}s ago; cooldown ends in ${leftS}s` };
  }
  const backoff = budget.backoff ? backoffVerdict(budget.backoff, s, nowMs) : null;
  if (backoff) return backoff;
  const lastHour = s.healTimes.filter((t) => nowMs - t < HOUR_MS).length;
  if (lastHour >= budget.maxPerHour) {
    return { run: false, why: 'rate_limit', detail: `${lastHour} heals in the last hour; heal.max_per_hour is ${budget.maxPerHour}` };
  }
  return { run: true };
}

/** Heals of one incident (triggers without a gap of resetMs) wait 1, 2, 4 … cycles (capped) after the last. */
function backoffVerdict(b: { maxCycles: number; resetMs: number }, s: BudgetState, nowMs: number): HealVerdict | null {
  const start = incidentStart(s.triggerTimes ?? [], nowMs, b.resetMs);
  const heals = s.healTimes.filter((t) => t >= start).length;
  if (heals === 0) return null;
  const wait = Math.min(2 ** (heals - 1), b.maxCycles);
  const since = (s.checksSinceHeal ?? 0) + 1;
  if (since >= wait) return null;
  return { run: false, why: 'backoff', detail: `heal ${heals + 1} of this incident waits ${wait} cycles after the last heal; ${since} so far` };
}

/** The start of the current incident: the oldest trigger reached without a gap of resetMs (newest first). */
export function incidentStart(triggerTimes: readonly number[], nowMs: number, resetMs: number): number {
  let start = nowMs;
  for (const t of triggerTimes) {
    if (start - t >= resetMs) break;
    start = t;
  }
  return start;
}

/** Whether a latched exhaustion may be lifted: no trigger for resumeAfterMs and the latch at least that old. */
export function mayResume(s: BudgetState, nowMs: number, resumeAfterMs: number, findingNow: boolean): boolean {
  if (!s.exhausted?.latched || findingNow) return false;
  const lastTrigger = s.triggerTimes?.[0] ?? s.exhausted.ts;
  return nowMs - s.exhausted.ts >= resumeAfterMs && nowMs - lastTrigger >= resumeAfterMs;
}

/** How far back the log must be read to decide the budget. */
export function healLookbackMs(budget: { cooldownMs: number; graceMs?: number; backoffResetMs?: number; resumeAfterMs?: number; repeatMs?: number }): number {
  const spans = [HOUR_MS, budget.cooldownMs, budget.graceMs ?? 0, (budget.backoffResetMs ?? 0) * 2, budget.resumeAfterMs ?? 0, budget.repeatMs ?? 0];
  return Math.min(24 * HOUR_MS, Math.max(...spans));
}
