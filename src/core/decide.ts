// The decision: each finding goes where `actions` sends it (heal, alert or log), and the check's exit
// status follows the monitoring-plugin convention.
import type { Action, FindingKind } from './kinds.js';
import type { Finding } from './findings.js';

/** The findings sorted by what they do. */
export interface Decision {
  heal: Finding[];
  alert: Finding[];
  log: Finding[];
}

/** Sorts findings by their configured action. */
export function decide(findings: readonly Finding[], actions: Record<FindingKind, Action>): Decision {
  const decision: Decision = { heal: [], alert: [], log: [] };
  for (const finding of findings) decision[actions[finding.kind]].push(finding);
  return decision;
}

/** Exit status of a check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export type CheckStatus = 0 | 1 | 2 | 3;

/** 2 when a heal-action finding fired, 1 when only alert-action ones did, else 0. */
export function checkStatus(decision: Decision): CheckStatus {
  if (decision.heal.length > 0) return 2;
  if (decision.alert.length > 0) return 1;
  return 0;
}

/** The words of the plugin convention for a status. */
export const STATUS_WORDS: Record<CheckStatus, string> = { 0: 'OK', 1: 'WARNING', 2: 'CRITICAL', 3: 'UNKNOWN' };
