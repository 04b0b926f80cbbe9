// The state the health panel shows, from one /api/status object: the verdict of the last cycle, unless
// healing is off (the heal budget latched off, or spent for the hour), which is a state of its own: a
// service that looks OK while nothing would restart it is not OK.
import type { StatusResponse, Verdict } from './api-types.js';
import { formatClock } from './format.js';

/** OK · WARNING · CRITICAL · UNKNOWN, or HEALING_OFF. */
export type PageStateName = Verdict | 'HEALING_OFF';

/** What the panel says: its state, the big word, and why healing is off (null when it is not). */
export interface PageState {
  state: PageStateName;
  word: string;
  healingOff: string | null;
}

/** Why healing is off now, in words, or null: a latched budget first, then the hour's heals spent. */
export function healingOffText(s: Pick<StatusResponse, 'heal_budget' | 'heals_last_hour' | 'config'>, nowMs = Date.now()): string | null {
  const spent = `${s.heals_last_hour} of ${s.config.max_per_hour} heals in the last hour`;
  const b = s.heal_budget;
  if (b?.latched && b.exhausted_at !== null) {
    return `Healing is off: the heal budget was spent at ${formatClock(b.exhausted_at, nowMs)} (${spent}); it stays off until the service is healthy for heal.resume_after or \`anomaly-guard heal-reset\``;
  }
  if (s.config.max_per_hour > 0 && s.heals_last_hour >= s.config.max_per_hour) return `Heal budget spent: ${spent}; no heal until the oldest is an hour old`;
  return null;
}

/** The panel's state from one status object. */
export function pageState(s: StatusResponse, nowMs = Date.now()): PageState {
  const healingOff = healingOffText(s, nowMs);
  return healingOff === null ? { state: s.verdict, word: s.verdict, healingOff } : { state: 'HEALING_OFF', word: 'HEALING OFF', healingOff };
}
