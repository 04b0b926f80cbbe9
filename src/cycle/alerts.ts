// Alerting within a cycle: which records page someone, deduplication by alert.repeat (read from the
// alert_sent records in the log), delivery to alert.command and alert.webhook, and an alert_sent record.
import { runAlertCommand } from '../alert/alert-command.js';
import { postWebhook } from '../alert/webhook.js';
import type { GuardConfig } from '../config/config.js';
import { kindOfReason, reasonType } from '../core/kinds.js';
import { formatTs } from '../core/format.js';
import type { History } from '../core/history.js';
import type { AlertSentRecord, GuardRecord } from '../log/records.js';
import type { CycleDeps } from './deps.js';

const LOUD_WHYS = new Set(['rate_limit', 'exhausted', 'no_command', 'backoff', 'cooldown']);

/** The dedup key of a record worth an alert, or null when it is not one. */
export function alertKey(record: GuardRecord): string | null {
  const r = record as GuardRecord & Record<string, unknown>;
  switch (r.event) {
    case 'anomaly_trigger':
    case 'resource_warning': {
      const kinds = [...new Set((r.reasons as string[]).map((x) => kindOfReason(x) ?? reasonType(x)))];
      return `${r.event}:${kinds.join(',')}`;
    }
    case 'heal_suppressed':
      return LOUD_WHYS.has(String(r.why)) ? `heal_suppressed:${String(r.why)}` : null;
    case 'self_heal':
      return r.exit_code === 0 && !r.timed_out && !r.error ? null : 'self_heal:failed';
    case 'heal_verify':
      return r.recovered ? null : 'heal_verify:failed';
    case 'heal_budget_exhausted':
    case 'recovered':
    case 'heal_resumed':
      return String(r.event);
    default:
      return null;
  }
}

/** Events that always go out (they happen once per incident by construction). */
const NEVER_DEDUPED = new Set(['heal_budget_exhausted', 'recovered', 'heal_resumed']);

/** Collects the cycle's alerts: offer() starts a delivery when due, settle() waits for all of them. A dry run sends none. */
export function alertQueue(config: GuardConfig, deps: CycleDeps, history: History, emit: (r: GuardRecord) => void, signal: AbortSignal, dryRun = false) {
  const jobs: Promise<void>[] = [];
  const channels = dryRun ? [] : [...(config.alert.command.length > 0 ? ['command'] : []), ...(config.alert.webhook !== '' ? ['webhook'] : [])];
  const sentNow = new Set<string>();
  const due = (key: string, event: string): boolean => {
    if (NEVER_DEDUPED.has(event) || config.alert.repeatMs === 0) return true;
    const last = history.alertsSent[key];
    return last === undefined || deps.clock.nowMs() - last >= config.alert.repeatMs;
  };
  return {
    offer(record: GuardRecord): void {
      const key = alertKey(record);
      const event = String((record as { event?: unknown }).event);
      if (channels.length === 0 || key === null || sentNow.has(key) || !due(key, event)) return;
      sentNow.add(key);
      jobs.push(deliver(config, deps, record, signal).then((ok) => {
        const sent: AlertSentRecord = { event: 'alert_sent', ts: formatTs(deps.clock.nowMs()), key, channels, ok };
        emit(sent);
      }));
    },
    settle: async (): Promise<void> => {
      await Promise.all(jobs.map((j) => j.catch((err: unknown) => deps.warn(`alert failed: ${(err as Error).message}`))));
    },
  };
}

/** Sends one record to every configured channel; failures are reported through deps.warn. */
async function deliver(config: GuardConfig, deps: CycleDeps, record: GuardRecord, signal: AbortSignal): Promise<boolean> {
  const event = (record as { event?: string }).event ?? 'record';
  const report = (r: { ok: boolean; detail: string | null; channel: string }): boolean => {
    if (!r.ok) deps.warn(`alert ${r.channel} failed for ${event}: ${r.detail ?? 'unknown error'}`);
    return r.ok;
  };
  const jobs: Promise<boolean>[] = [];
  if (config.alert.command.length > 0) {
    jobs.push(runAlertCommand(record, { command: config.alert.command, timeoutMs: config.alert.timeoutMs, cwd: config.baseDir, signal }, { runner: deps.runner }).then(report));
  }
  if (config.alert.webhook !== '') {
    jobs.push(postWebhook(record, { url: config.alert.webhook, timeoutMs: config.alert.timeoutMs, signal }, { sleep: deps.clock.sleep }).then(report));
  }
  return (await Promise.all(jobs)).every(Boolean);
}
