// The one interface of every alert channel (Gatus's alert provider): command, webhook and Alertmanager
// each say whether the config sets them up and send an event; one function fans an event out to them.
import type { CheckRecord } from '../log/records.js';
import type { Finding } from '../core/decision/findings.js';

/** The channels an alert goes out on, in the order they are tried and named in `alert_sent.channels`. */
export type AlertChannel = 'command' | 'webhook' | 'alertmanager';

/** What alerting reads of a finished cycle (a `CycleResult` is one): the gate's confirmed findings and the
 * figures of the last check; `assessment` is null when the cycle assessed nothing. */
export interface AlertOutcome {
  assessment: {
    gate: { heal: Finding[]; alert: Finding[]; graced: { findings: Finding[] } | null };
    check: Pick<CheckRecord, 'ts' | 'lat' | 'res'>;
  } | null;
}

/** A record worth paging someone about, sent as the cycle writes it (command and webhook carry these). */
export interface RecordEvent {
  kind: 'record';
  record: object;
}

/** A finished cycle (Alertmanager carries these): pushed at `nowMs`, a firing alert lasting `holdMs` unless renewed. */
export interface CycleEndEvent {
  kind: 'cycle_end';
  outcome: AlertOutcome;
  nowMs: number;
  holdMs: number;
}

/** What alerting is told. */
export type AlertEvent = RecordEvent | CycleEndEvent;

/** The outcome of one delivery; a failure is a value with a one-line detail. Alertmanager adds how many
 * alerts it sent as firing and as resolved. */
export interface AlertDelivery {
  channel: AlertChannel;
  ok: boolean;
  detail: string | null;
  firing?: number;
  resolved?: number;
}

/** One alert channel. */
export interface AlertProvider {
  readonly channel: AlertChannel;
  /** Whether the config sets this channel up; an unconfigured provider is never sent to. */
  configured(): boolean;
  /** Delivers an event; null when the event gives this channel nothing to send. Never rejects. */
  send(event: AlertEvent, signal?: AbortSignal): Promise<AlertDelivery | null>;
}

/** Sends an event to every configured provider at once; the deliveries of those that sent something, in provider order. */
export async function sendAlert(providers: readonly AlertProvider[], event: AlertEvent, signal?: AbortSignal): Promise<AlertDelivery[]> {
  const sent = await Promise.all(providers.filter((p) => p.configured()).map((p) => p.send(event, signal)));
  return sent.filter((d): d is AlertDelivery => d !== null);
}
