// The check's exit status, the monitoring-plugin convention (CONTRACT.md): 2 CRITICAL when a heal was
// triggered (whether or not the heal then ran), 1 WARNING for an alert, a finding held back for confirmation
// or one within the grace after a heal, 0 OK otherwise (log-action findings included), 3 UNKNOWN when the
// cycle could not decide (aborted at cycle_timeout).
import type { GateResult } from './gate.js';

/** Exit status of a check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN. */
export type CheckStatus = 0 | 1 | 2 | 3;

/** The words of the plugin convention for a status. */
export const STATUS_WORDS: Record<CheckStatus, string> = { 0: 'OK', 1: 'WARNING', 2: 'CRITICAL', 3: 'UNKNOWN' };

/** The status of a cycle from what passed its gate; null (no gate: the cycle timed out) is 3. */
export function exitStatus(g: Pick<GateResult, 'heal' | 'alert' | 'pending' | 'graced'> | null): CheckStatus {
  if (g === null) return 3;
  if (g.heal.length > 0) return 2;
  return g.alert.length > 0 || g.pending.length > 0 || g.graced ? 1 : 0;
}
