// The kinds of finding of the seed's decision table, what each may do, and how a reason string names its
// kind: one place that writes the prefixes (findings.ts) and reads them back (confirmation, alerts, metrics).

/** What a finding does. */
export const ACTIONS = ['heal', 'alert', 'log'] as const;
/** heal | alert | log */
export type Action = (typeof ACTIONS)[number];
/** The kinds of finding of the seed's decision table. */
export const FINDING_KINDS = ['unhealthy', 'latency', 'cpu', 'mem', 'disk'] as const;
/** unhealthy | latency | cpu | mem | disk */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** The start of each kind's reason strings (CONTRACT.md); latency's goes on with the detector, e.g. `3sigma`. */
export const REASON_PREFIX: Record<FindingKind, string> = {
  unhealthy: 'health_unhealthy',
  latency: 'latency_anomaly_',
  cpu: 'cpu_critical',
  mem: 'mem_critical',
  disk: 'disk_warning',
};

/** The finding kind of a reason string, or null for a text of no known kind. */
export function kindOfReason(reason: string): FindingKind | null {
  for (const kind of FINDING_KINDS) if (reason.startsWith(REASON_PREFIX[kind])) return kind;
  return null;
}

/** A reason's type: the text before ` (`, e.g. `latency_anomaly_3sigma` (what report and metrics count by). */
export function reasonType(reason: string): string {
  const cut = reason.indexOf(' (');
  // Trimmed: a hand-written or foreign record's reason may carry spaces (the guard's own never do).
  return (cut < 0 ? reason : reason.slice(0, cut)).trim();
}

/** `health_unhealthy (<detail>)`. */
export function unhealthyReason(detail: string | null): string {
  return `${REASON_PREFIX.unhealthy} (${detail ?? 'unknown'})`;
}

/** `latency_anomaly_<name> (score=<score>)`: the name is `<sigma>sigma` for the seed's z-score, else the detector's. */
export function latencyReason(name: string, score: number): string {
  return `${REASON_PREFIX.latency}${name} (score=${score.toFixed(2)})`;
}

/** `cpu_critical (92.1%)`, with whose figure it is when not the host's: `cpu_critical (92.1%, nginx.service)`. */
export function resourceReason(kind: 'cpu' | 'mem' | 'disk', percent: number, owner?: string | null): string {
  return `${REASON_PREFIX[kind]} (${percent.toFixed(1)}%${owner ? `, ${owner}` : ''})`;
}
