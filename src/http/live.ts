// What the daemon knows beyond the log: when it started, how many cycles ran, how the last one ended, and
// the newest record of each event kind the dashboard shows (fed by cycles; what the log held before is
// read once, by the read worker, with readLastEvents).
import type { CheckStatus } from '../core/decision/status.js';
import type { CycleReport } from '../daemon/daemon-cycle.js';
import { isEvent } from '../log/records.js';
import { readLogBackward } from '../log/tail-reader.js';

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
    observe(report) {
      state.cycles += 1;
      const status: CheckStatus = report.result?.status ?? 3;
      state.lastCycle = { endedMs: report.endedMs, status, error: report.error };
      if (report.result !== null) state.lastCompletedMs = report.endedMs;
      for (const record of report.result?.records ?? []) {
        const kind = KIND_OF_EVENT.get(String((record as { event?: unknown }).event));
        if (kind !== undefined) seen[kind] = record as unknown as Record<string, unknown>;
      }
    },
    seenLast: () => ({ ...seen }),
  };
  return state;
}

/** The newest valid record of each kind in the log (one with a field of the wrong type is passed over), read
 * backwards until all are found or `maxBytes` were read. */
export function readLastEvents(logFile: string, maxBytes: number): LastEvents {
  const last = emptyLast();
  let missing = Object.keys(last).length;
  readLogBackward(
    logFile,
    (record) => {
      const kind = KIND_OF_EVENT.get(String((record as { event?: unknown }).event));
      if (kind !== undefined && last[kind] === null && isEvent(record, LAST_EVENTS[kind])) {
        last[kind] = record as unknown as Record<string, unknown>;
        missing -= 1;
      }
      return missing > 0;
    },
    { maxBytes },
  );
  return last;
}
