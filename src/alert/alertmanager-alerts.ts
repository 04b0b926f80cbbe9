// The alerts Alertmanager gets for a cycle's findings: names, labels, annotations (pure).
import type { FindingKind } from '../core/kinds.js';
import type { Finding } from '../core/decision/findings.js';
import { reasonType } from '../core/kinds.js';
import type { AlertOutcome } from './provider.js';

/** One alert as Alertmanager's API v2 takes it. */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/** The alertname of each finding kind. */
export const ALERT_NAMES: Record<FindingKind, string> = {
  unhealthy: 'AnomalyGuardUnhealthy',
  latency: 'AnomalyGuardLatencyAnomaly',
  cpu: 'AnomalyGuardCpuCritical',
  mem: 'AnomalyGuardMemCritical',
  disk: 'AnomalyGuardDiskWarning',
};

/** A finding that fires an alert, with its severity (critical: action heal; warning: action alert). */
export interface FiringFinding {
  finding: Finding;
  severity: 'critical' | 'warning';
}

/** The confirmed findings of a cycle (those withheld by heal.grace too); null when the cycle assessed nothing. */
export function firingFindings(outcome: AlertOutcome): FiringFinding[] | null {
  const g = outcome.assessment?.gate;
  if (!g) return null;
  const critical = [...g.heal, ...(g.graced?.findings ?? [])].map((finding) => ({ finding, severity: 'critical' as const }));
  return [...critical, ...g.alert.map((finding) => ({ finding, severity: 'warning' as const }))];
}

/** Builds the alert of a finding. */
export function toAlert(f: FiringFinding, outcome: AlertOutcome, instance: string, startsAt: string, endsAt: string, target: string | null = null): AmAlert {
  const reason = reasonType(f.finding.reason);
  const labels = { alertname: ALERT_NAMES[f.finding.kind], severity: f.severity, reason, instance, ...(target === null ? {} : { target }) };
  const action = f.severity === 'critical' ? 'the guard heals it (heal action)' : 'the guard only alerts (alert action)';
  const summary = `${reason} on ${instance}`;
  return { labels, annotations: { summary, description: `${f.finding.reason}; ${action}.${figures(outcome)}` }, startsAt, endsAt };
}

function figures(outcome: AlertOutcome): string {
  const c = outcome.assessment?.check;
  if (!c) return '';
  const pct = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} %`);
  return ` Last check ${c.ts}: latency ${c.lat.latency_ms} ms (${c.lat.ok ? 'ok' : 'failed'}), cpu ${pct(c.res.cpu)}, mem ${pct(c.res.mem)}, disk ${pct(c.res.disk)}.`;
}
