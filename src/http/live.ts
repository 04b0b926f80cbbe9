// What the daemon knows beyond the log: when it started, how many cycles ran, how the last one ended, and
// the newest record of each event kind the dashboard shows (fed by cycles; what the log held before is
// read once, by the read worker: log-reads.ts).
import type { CheckStatus } from '../core/decision/status.js';
import { formatTs } from '../core/format.js';
import type { History } from '../core/history.js';
import type { CycleReport } from '../cycle/cycle-watch.js';
import type { EventKind, TailSummary } from '../core/tail-summary.js';

/** The event kinds /api/status reports, by the name it gives them. */
export const LAST_EVENTS = {
  trigger: 'anomaly_trigger',
  heal: 'self_heal',
  verify: 'heal_verify',
  suppressed: 'heal_suppressed',
  warning: 'resource_warning',
  recovered: 'recovered',
} as const;
/** trigger | heal | verify | suppressed | warning | recovered */
export type LastKind = keyof typeof LAST_EVENTS;
/** The newest record of each kind, or null. */
export type LastEvents = Record<LastKind, Record<string, unknown> | null>;

/** The heal budget as the last cycle left it: a heal_budget_exhausted still in force (no heal or resume after it, within the
 * guard's lookback), and whether it latched healing off. */
export interface HealBudgetState {
  exhausted_at: string | null;
  latched: boolean;
}

/** The daemon as the API shows it. */
export interface LiveState {
  pid: number;
  version: string;
  startedAtMs: number;
  cycles: number;
  /** How the last cycle ended (status 3 for an error), or null before the first one ended. */
  lastCycle: { endedMs: number; status: CheckStatus; error: string | null } | null;
  /** When the last cycle that did not fail with an error ended. */
  lastCompletedMs: number | null;
  /** Takes in a finished cycle. */
  observe(report: CycleReport): void;
  /** The newest record of each kind that this daemon's cycles wrote (null: none yet; the log may hold one). */
  seenLast(): LastEvents;
  /** The heal budget after the last cycle that measured (null before one did). */
  healBudget: HealBudgetState | null;
}

const KIND_OF_EVENT = new Map<string, LastKind>(Object.entries(LAST_EVENTS).map(([k, e]) => [e, k as LastKind]));
/** No record of any kind. */
export const emptyLast = (): LastEvents => ({ trigger: null, heal: null, verify: null, suppressed: null, warning: null, recovered: null });

/** Creates the live state of a daemon. */
export function liveState(daemon: { pid: number; version: string; startedAtMs: number }): LiveState {
  const seen = emptyLast();
  const state: LiveState = {
    ...daemon,
    cycles: 0,
    lastCycle: null,
    lastCompletedMs: null,
    healBudget: null,
    observe(report) {
      state.cycles += 1;
      const status: CheckStatus = report.result?.status ?? 3;
      state.lastCycle = { endedMs: report.endedMs, status, error: report.error };
      if (report.result !== null) state.lastCompletedMs = report.endedMs;
      for (const record of report.result?.records ?? []) {
        const kind = KIND_OF_EVENT.get(String((record as { event?: unknown }).event));
        if (kind !== undefined) seen[kind] = record as unknown as Record<string, unknown>;
      }
      const history = report.result?.measurement?.history;
      if (history !== undefined) state.healBudget = budgetAfter(history, report.result?.records ?? []);
    },
    seenLast: () => ({ ...seen }),
  };
  return state;
}

/** The budget the cycle read from the log (`history`), moved on by the records the cycle wrote. */
export function budgetAfter(history: Pick<History, 'exhausted'>, records: readonly object[]): HealBudgetState {
  let budget: HealBudgetState = history.exhausted === null ? { exhausted_at: null, latched: false } : { exhausted_at: formatTs(history.exhausted.ts), latched: history.exhausted.latched };
  for (const r of records as { event?: unknown; ts?: unknown; latched?: unknown }[]) {
    if (r.event === 'heal_budget_exhausted') budget = { exhausted_at: String(r.ts), latched: r.latched === true };
    else if (r.event === 'heal_start' || r.event === 'self_heal' || r.event === 'heal_resumed') budget = { exhausted_at: null, latched: false };
  }
  return budget;
}

/** The newest record of each kind a tail summary found (one asked for LAST_EVENTS_IN_LOG). */
export function lastEventsOf(last: TailSummary['last']): LastEvents {
  const events = emptyLast();
  for (const [kind, event] of Object.entries(LAST_EVENTS) as [LastKind, EventKind][]) events[kind] = (last[event] ?? null) as Record<string, unknown> | null;
  return events;
}

/** The event kinds of LAST_EVENTS, as a tail summary is asked for them. */
export const LAST_EVENTS_IN_LOG: readonly EventKind[] = Object.values(LAST_EVENTS);
