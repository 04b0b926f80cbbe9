// Where each finding goes: the `actions` table sends it to heal, alert or log; latency.on_busy_host: alert
// turns a latency heal into an alert while the host itself is past its CPU or memory threshold.
import type { Action, FindingKind } from '../kinds.js';
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

/** What the busy-host rule reads: the setting, the host's rounded figures and their thresholds. */
export interface BusyHost {
  onBusyHost: 'heal' | 'alert';
  cpu: number | null;
  mem: number | null;
  cpuCritical: number;
  memCritical: number;
}

// While the host's own CPU or memory is past its threshold, a latency finding is the host's slowness as much
// as the service's, and a restart would not help: under on_busy_host: alert it alerts instead of healing.
/** Moves latency heals to alerts on a busy host when on_busy_host is alert; else returns the decision as is. */
export function busyHost(d: Decision, h: BusyHost): Decision {
  const busy = (h.cpu !== null && h.cpu > h.cpuCritical) || (h.mem !== null && h.mem > h.memCritical);
  if (h.onBusyHost !== 'alert' || !busy || !d.heal.some((f) => f.kind === 'latency')) return d;
  return { ...d, heal: d.heal.filter((f) => f.kind !== 'latency'), alert: [...d.alert, ...d.heal.filter((f) => f.kind === 'latency')] };
}
