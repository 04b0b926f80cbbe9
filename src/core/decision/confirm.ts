// Confirmation, as Kubernetes' failureThreshold and Monit's "for N cycles": a latency or resource finding
// acts only when found in `confirm` of the last `confirm_of` cycles, counted from the check records' reasons.
import type { Finding } from './findings.js';
import { kindOfReason } from '../kinds.js';

/** N of the last M cycles, per finding group. */
export interface ConfirmPolicy {
  latency: { confirm: number; of: number };
  resources: { confirm: number; of: number };
}

/** A finding held back until it is confirmed. */
export interface PendingFinding {
  finding: Finding;
  seen: number;
  need: number;
  of: number;
}

/** Splits findings into confirmed and pending; `recent` holds earlier checks' reasons, newest first. */
export function confirmFindings(findings: readonly Finding[], recent: readonly string[][], p: ConfirmPolicy): { confirmed: Finding[]; pending: PendingFinding[] } {
  const confirmed: Finding[] = [];
  const pending: PendingFinding[] = [];
  for (const finding of findings) {
    if (finding.kind === 'unhealthy') {
      confirmed.push(finding); // confirmed by health.confirm re-probes instead
      continue;
    }
    const { confirm: need, of } = finding.kind === 'latency' ? p.latency : p.resources;
    const earlier = recent.slice(0, of - 1).filter((reasons) => reasons.some((r) => kindOfReason(r) === finding.kind)).length;
    const seen = earlier + 1;
    if (seen >= need) confirmed.push(finding);
    else pending.push({ finding, seen, need, of });
  }
  return { confirmed, pending };
}
