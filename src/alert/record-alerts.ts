// Alerting within a cycle: which records page someone, deduplication by alert.repeat (read from the
// alert_sent records in the log), delivery to the providers as each record is written, and an alert_sent record.
import { kindOfReason, reasonType } from '../core/kinds.js';
import { formatTs } from '../core/format.js';
import type { History } from '../core/history.js';
import type { AlertSentRecord, GuardRecord } from '../log/records.js';
import { sendAlert, type AlertDelivery, type AlertProvider } from './provider.js';

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

/** How a cycle's alerts go out: the providers (none for a dry run), alert.repeat, the history, and where records and problems go. */
export interface AlertQueueOptions {
  providers: readonly AlertProvider[];
  repeatMs: number;
  history: History;
  nowMs(): number;
  emit(record: GuardRecord): void;
  warn(line: string): void;
  signal: AbortSignal;
}

/** Collects the cycle's alerts: offer() starts a delivery when due, settle() waits for all of them. */
export function alertQueue(o: AlertQueueOptions) {
  const jobs: Promise<void>[] = [];
  const sentNow = new Set<string>();
  const any = o.providers.some((p) => p.configured());
  const due = (key: string, event: string): boolean => {
    if (NEVER_DEDUPED.has(event) || o.repeatMs === 0) return true;
    const last = o.history.alertsSent[key];
    return last === undefined || o.nowMs() - last >= o.repeatMs;
  };
  return {
    offer(record: GuardRecord): void {
      const key = alertKey(record);
      const event = String((record as { event?: unknown }).event);
      if (!any || key === null || sentNow.has(key) || !due(key, event)) return;
      sentNow.add(key);
      jobs.push(sendAlert(o.providers, { kind: 'record', record }, o.signal).then((deliveries) => {
        if (deliveries.length === 0) return;
        const ok = deliveries.map((d) => report(d, event, o.warn)).every(Boolean);
        const sent: AlertSentRecord = { event: 'alert_sent', ts: formatTs(o.nowMs()), key, channels: deliveries.map((d) => d.channel), ok };
        o.emit(sent);
      }));
    },
    settle: async (): Promise<void> => {
      await Promise.all(jobs.map((j) => j.catch((err: unknown) => o.warn(`alert failed: ${(err as Error).message}`))));
    },
  };
}

// A failed delivery is reported (it never stops the cycle).
function report(d: AlertDelivery, event: string, warn: (line: string) => void): boolean {
  if (!d.ok) warn(`alert ${d.channel} failed for ${event}: ${d.detail ?? 'unknown error'}`);
  return d.ok;
}
