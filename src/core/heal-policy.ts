// The heal budget: cooldown and restart-storm guard, decided from the times of earlier heals (read from
// the log, so the budget survives restarts and is shared by one-shot checks and the daemon).
import type { SuppressWhy } from '../log/records.js';

/** The budget settings. */
export interface HealBudget {
  hasCommand: boolean;
  cooldownMs: number;
  maxPerHour: number;
}

/** Whether a due heal may run now, and if not, why (with a human detail). */
export type HealVerdict = { run: true } | { run: false; why: SuppressWhy; detail: string };

const HOUR_MS = 3_600_000;

/** Decides a due heal from the epoch-ms times of earlier heals (any order) and now. */
export function healVerdict(budget: HealBudget, healTimes: readonly number[], nowMs: number): HealVerdict {
  if (!budget.hasCommand) return { run: false, why: 'no_command', detail: 'heal.command is empty' };
  const last = healTimes.length > 0 ? Math.max(...healTimes) : null;
  if (last !== null && budget.cooldownMs > 0 && nowMs - last < budget.cooldownMs) {
    const leftS = Math.ceil((budget.cooldownMs - (nowMs - last)) / 1000);
    return { run: false, why: 'cooldown', detail: `last heal ${Math.round((nowMs - last) / 1000)}s ago; cooldown ends in ${leftS}s` };
  }
  const lastHour = healTimes.filter((t) => nowMs - t < HOUR_MS).length;
  if (lastHour >= budget.maxPerHour) {
    return { run: false, why: 'rate_limit', detail: `${lastHour} heals in the last hour; heal.max_per_hour is ${budget.maxPerHour}` };
  }
  return { run: true };
}

/** How far back the heal times must be read to decide the budget. */
export function healLookbackMs(budget: HealBudget): number {
  return Math.max(HOUR_MS, budget.cooldownMs);
}
