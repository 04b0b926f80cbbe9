// Pushes findings to Prometheus Alertmanager (POST <url>/api/v2/alerts), the way Prometheus does: every
// cycle re-sends each finding that lasts with an endsAt a little ahead, so the alert stays active while the
// guard keeps seeing it and expires by itself if the guard stops; a finding that cleared is sent once
// more with endsAt = now (resolved). One alert per finding kind: alertname AnomalyGuard<Kind>.
import type { GuardConfig } from '../config/config.js';
import type { FindingKind } from '../config/schema.js';
import { formatTs } from '../core/format.js';
import type { Finding } from '../core/findings.js';
import type { CycleResult } from '../cycle/check-cycle.js';
import { postJson, targetName } from './post-json.js';
import { reasonType } from '../core/kinds.js';

/** One alert as Alertmanager's API v2 takes it. */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
}

/** What a push did: how many alerts were firing and resolved, or why it failed. */
export type PushOutcome = { ok: true; firing: number; resolved: number } | { ok: false; detail: string };

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
export function firingFindings(result: CycleResult): FiringFinding[] | null {
  const g = result.assessment?.gate;
  if (!g) return null;
  const critical = [...g.heal, ...(g.graced?.findings ?? [])].map((finding) => ({ finding, severity: 'critical' as const }));
  return [...critical, ...g.alert.map((finding) => ({ finding, severity: 'warning' as const }))];
}

/** The instance label: alert.alertmanager.instance, else the health URL's host:port. */
export function instanceOf(config: GuardConfig): string {
  if (config.alert.alertmanager.instance !== null) return config.alert.alertmanager.instance;
  const u = new URL(config.health.url);
  return `${u.hostname.includes(':') ? `[${u.hostname}]` : u.hostname}:${u.port !== '' ? u.port : u.protocol === 'https:' ? '443' : '80'}`;
}

/** Builds the alert of a finding; `target` (the config's target name, null without targets) is a label. */
export function toAlert(f: FiringFinding, result: CycleResult, instance: string, startsAt: string, endsAt: string, target: string | null = null): AmAlert {
  const reason = reasonType(f.finding.reason);
  const labels = { alertname: ALERT_NAMES[f.finding.kind], severity: f.severity, reason, instance, ...(target === null ? {} : { target }) };
  const action = f.severity === 'critical' ? 'the guard heals it (heal action)' : 'the guard only alerts (alert action)';
  const summary = `${reason} on ${instance}`;
  return { labels, annotations: { summary, description: `${f.finding.reason}; ${action}.${figures(result)}` }, startsAt, endsAt };
}

function figures(result: CycleResult): string {
  const c = result.assessment?.check;
  if (!c) return '';
  const pct = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(1)} %`);
  return ` Last check ${c.ts}: latency ${c.lat.latency_ms} ms (${c.lat.ok ? 'ok' : 'failed'}), cpu ${pct(c.res.cpu)}, mem ${pct(c.res.mem)}, disk ${pct(c.res.disk)}.`;
}

/** The API endpoint under a base URL (a path prefix is kept). */
export function alertsEndpoint(base: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  url.search = '';
  url.hash = '';
  return url;
}

/** Sends alerts; a failure names Alertmanager by scheme://host:port only. */
export async function sendAlerts(config: GuardConfig, alerts: AmAlert[], signal?: AbortSignal): Promise<{ ok: true } | { ok: false; detail: string }> {
  const url = alertsEndpoint(config.alert.alertmanager.url);
  const r = await postJson(url, alerts, { timeoutMs: config.alert.alertmanager.timeoutMs, ...(signal ? { signal } : {}) });
  return r.ok ? { ok: true } : { ok: false, detail: `alertmanager ${targetName(url)}: ${r.detail}` };
}

/** The daemon's pusher: remembers which alerts fired last cycle, so it can resolve them when they clear. */
export function alertmanagerPusher() {
  let active = new Map<string, { alert: AmAlert; startsAt: string }>();
  let unresolved = new Map<string, AmAlert>(); // resolutions whose push failed: sent again next time
  return {
    /** Pushes a cycle's alerts; `holdMs` is how long a firing alert lasts without a new push. */
    async push(result: CycleResult, config: GuardConfig, nowMs: number, holdMs: number): Promise<PushOutcome | null> {
      const firing = firingFindings(result);
      if (firing === null || config.alert.alertmanager.url === '') return null;
      const [now, until, instance] = [formatTs(nowMs), formatTs(nowMs + holdMs), instanceOf(config)];
      const next = new Map<string, { alert: AmAlert; startsAt: string }>();
      for (const f of firing) {
        const key = keyOf(ALERT_NAMES[f.finding.kind], f.finding.reason, instance);
        const startsAt = active.get(key)?.startsAt ?? now;
        next.set(key, { alert: toAlert(f, result, instance, startsAt, until, config.target), startsAt });
        unresolved.delete(key);
      }
      for (const [key, { alert }] of active) if (!next.has(key)) unresolved.set(key, { ...alert, endsAt: now });
      active = next;
      if (next.size === 0 && unresolved.size === 0) return { ok: true, firing: 0, resolved: 0 };
      const sent = await sendAlerts(config, [...[...next.values()].map((a) => a.alert), ...unresolved.values()]);
      if (!sent.ok) return sent;
      const resolved = unresolved.size;
      unresolved = new Map();
      return { ok: true, firing: next.size, resolved };
    },
  };
}

function keyOf(alertname: string, reason: string, instance: string): string {
  return `${alertname}\u0000${reasonType(reason)}\u0000${instance}`;
}

/** A one-shot check's push: the firing alerts only, lasting `holdMs` (nothing to resolve without memory). */
export async function pushOnce(result: CycleResult, config: GuardConfig, nowMs: number, holdMs: number): Promise<PushOutcome | null> {
  const firing = firingFindings(result);
  if (firing === null || firing.length === 0 || config.alert.alertmanager.url === '') return null;
  const instance = instanceOf(config);
  const alerts = firing.map((f) => toAlert(f, result, instance, formatTs(nowMs), formatTs(nowMs + holdMs), config.target));
  const sent = await sendAlerts(config, alerts);
  return sent.ok ? { ok: true, firing: alerts.length, resolved: 0 } : sent;
}
