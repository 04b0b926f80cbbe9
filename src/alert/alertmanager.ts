// The Alertmanager provider (POST <url>/api/v2/alerts), pushing the way Prometheus does: every cycle
// re-sends each finding that lasts with an endsAt a little ahead, so the alert stays active while the
// guard keeps seeing it and expires by itself if the guard stops; a finding that cleared is sent once
// more with endsAt = now (resolved). One alert per finding kind: alertname AnomalyGuard<Kind>.
import type { GuardConfig } from '../config/config.js';
import { formatTs } from '../core/format.js';
import { visible } from '../core/terminal-text.js';
import { reasonType } from '../core/kinds.js';
import { hostPort, targetName, type HttpPost } from '../effects/http-post.js';
import { firingFindings, toAlert, ALERT_NAMES, type AmAlert } from './alertmanager-alerts.js';
import type { AlertDelivery, AlertProvider, CycleEndEvent } from './provider.js';

/** What the provider uses: the POST client, its memory, and the host's name for the default instance label. */
export interface AlertmanagerDeps {
  post: HttpPost;
  memory: AlertmanagerMemory;
  hostname?: string;
}

/** What the provider remembers between cycles: the alerts it keeps firing, and resolutions whose push failed. */
export interface AlertmanagerMemory {
  active: Map<string, { alert: AmAlert; startsAt: string }>;
  unresolved: Map<string, AmAlert>;
}

/** An empty memory: a one-shot check's (nothing to resolve), or a daemon's at start. */
export function alertmanagerMemory(): AlertmanagerMemory {
  return { active: new Map(), unresolved: new Map() };
}

/** The Alertmanager provider of a config; it carries the ends of cycles. The daemon passes one memory to
 * the provider of every cycle, so it can resolve an alert when its finding clears. */
export function alertmanagerProvider(config: Pick<GuardConfig, 'alert' | 'health' | 'target'>, deps: AlertmanagerDeps): AlertProvider {
  return {
    channel: 'alertmanager',
    configured: () => config.alert.alertmanager.url !== '',
    send: async (event, signal) => (event.kind === 'cycle_end' ? push(event, config, deps, signal) : null),
  };
}

async function push(event: CycleEndEvent, config: Pick<GuardConfig, 'alert' | 'health' | 'target'>, deps: AlertmanagerDeps, signal?: AbortSignal): Promise<AlertDelivery | null> {
  const firing = firingFindings(event.outcome);
  if (firing === null) return null;
  const memory = deps.memory;
  const [now, until, instance] = [formatTs(event.nowMs), formatTs(event.nowMs + event.holdMs), instanceOf(config, deps.hostname)];
  const next = new Map<string, { alert: AmAlert; startsAt: string }>();
  for (const f of firing) {
    const key = keyOf(ALERT_NAMES[f.finding.kind], f.finding.reason, instance);
    const startsAt = memory.active.get(key)?.startsAt ?? now;
    next.set(key, { alert: toAlert(f, event.outcome, instance, startsAt, until, config.target), startsAt });
    memory.unresolved.delete(key);
  }
  for (const [key, { alert }] of memory.active) if (!next.has(key)) memory.unresolved.set(key, { ...alert, endsAt: now });
  memory.active = next;
  if (next.size === 0 && memory.unresolved.size === 0) return { channel: 'alertmanager', ok: true, detail: null, firing: 0, resolved: 0 };
  const alerts = [...[...next.values()].map((a) => a.alert), ...memory.unresolved.values()];
  const detail = await sendAlerts(config, alerts, deps.post, signal);
  if (detail !== null) return { channel: 'alertmanager', ok: false, detail };
  const resolved = memory.unresolved.size;
  memory.unresolved = new Map();
  return { channel: 'alertmanager', ok: true, detail: null, firing: next.size, resolved };
}

function keyOf(alertname: string, reason: string, instance: string): string {
  return `${alertname}\u0000${reasonType(reason)}\u0000${instance}`;
}

/** The instance label: alert.alertmanager.instance, else the health URL's host:port, with the host's own name
 * (when given) in place of a loopback address: `127.0.0.1:8080` is the same on every host, and Alertmanager
 * would merge two hosts' alerts that carry the same labels into one. */
export function instanceOf(config: Pick<GuardConfig, 'alert' | 'health' | 'target'>, hostname?: string): string {
  if (config.alert.alertmanager.instance !== null) return config.alert.alertmanager.instance;
  const url = new URL(config.health.url);
  const [host, port] = [url.hostname, hostPort(url).slice(url.hostname.length + 1)];
  return hostname !== undefined && hostname !== '' && isLoopback(host) ? `${hostname}:${port}` : `${host}:${port}`;
}

// 127.0.0.0/8, ::1 and localhost name this host only.
function isLoopback(host: string): boolean {
  return /^127\.\d+\.\d+\.\d+$/.test(host) || host === '[::1]' || host === 'localhost' || host.endsWith('.localhost');
}

/** The API endpoint under a base URL (a path prefix is kept). */
export function alertsEndpoint(base: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v2/alerts`;
  url.search = '';
  url.hash = '';
  return url;
}

// Sends alerts; null when they arrived, else the failure naming Alertmanager by scheme://host:port only
// and quoting its reply (why it refused the labels), control characters as visible escapes (it reaches
// terminals and logs).
async function sendAlerts(config: Pick<GuardConfig, 'alert'>, alerts: AmAlert[], post: HttpPost, signal?: AbortSignal): Promise<string | null> {
  const url = alertsEndpoint(config.alert.alertmanager.url);
  const r = await post(url, alerts, { timeoutMs: config.alert.alertmanager.timeoutMs, ...(signal ? { signal } : {}) });
  if (r.ok) return null;
  const reply = r.kind === 'status' && r.reply !== '' ? `: ${visible(r.reply)}` : '';
  return `alertmanager ${targetName(url)}: ${r.detail}${reply}`;
}
