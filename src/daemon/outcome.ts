// The one-line outcome of a daemon cycle for scheduler.log, read off the records the cycle wrote:
// `OK`, `WARNING disk_warning (93.2%)`, `CRITICAL health_unhealthy (HTTP 503); heal exit 0; verify recovered`.
import type { CheckStatus } from '../core/decision/status.js';
import { STATUS_WORDS } from '../core/decision/status.js';
import type { GuardRecord, SelfHealRecord } from '../log/records.js';
import { isCheckRecord } from '../log/records.js';
import type { HeldLogReport } from './held-log.js';

/** What a cycle outcome is made of (a CycleResult fits). */
export interface CycleOutcomeInput {
  status: CheckStatus;
  records: GuardRecord[];
  timedOut: boolean;
}

/** Formats a cycle's outcome: the status and its reasons, then what was done, then the log's state. */
export function outcomeLine(result: CycleOutcomeInput, log: HeldLogReport | null = null): string {
  const parts = [headline(result), ...result.records.map(eventPart).filter((p): p is string => p !== null)];
  if (log) parts.push(...logParts(log));
  return parts.join('; ');
}

function headline(result: CycleOutcomeInput): string {
  const word = STATUS_WORDS[result.status];
  const timeout = result.records.find((r) => 'event' in r && r.event === 'cycle_timeout');
  if (result.timedOut && timeout && 'timeout_ms' in timeout) return `${word} cycle timed out after ${timeout.timeout_ms} ms`;
  const check = result.records.find(isCheckRecord);
  const reasons = check?.reasons ?? [];
  return reasons.length > 0 ? `${word} ${reasons.join(', ')}` : word;
}

function eventPart(record: GuardRecord): string | null {
  if (!('event' in record)) return null;
  switch (record.event) {
    case 'self_heal':
      return `heal ${healResult(record)}`;
    case 'heal_suppressed':
      return `heal suppressed (${record.why})`;
    case 'heal_verify':
      return record.recovered ? 'verify recovered' : `verify still failing${record.error ? ` (${record.error})` : ''}`;
    case 'heal_budget_exhausted':
      return `heal budget exhausted (${record.heals_last_hour}/${record.max_per_hour} in the last hour${record.latched ? ', healing latched off' : ''})`;
    case 'heal_resumed':
      return `heal resumed (${record.why})`;
    case 'recovered':
      return `recovered${record.duration_ms === null ? '' : ` after ${seconds(record.duration_ms)}`}`;
    case 'alert_sent':
      return record.ok ? null : `alert failed (${record.channels.join(', ')})`;
    default:
      return null;
  }
}

function healResult(h: SelfHealRecord): string {
  if (h.error) return `failed: ${h.error}`;
  if (h.timed_out) return `timed out after ${seconds(h.duration_ms)}`;
  if (h.aborted) return 'aborted';
  if (h.signal) return `killed by ${h.signal}`;
  return `exit ${h.exit_code}`;
}

function logParts(log: HeldLogReport): string[] {
  const parts: string[] = [];
  if (log.flushed > 0) parts.push(`log writable again: ${log.flushed} held-back record${log.flushed === 1 ? '' : 's'} written`);
  const unwritable = log.writeError !== null && log.held > 0;
  if (unwritable) parts.push(`log not writable: ${log.writeError}, ${log.held} record${log.held === 1 ? '' : 's'} held back`);
  // Unreadable too: the baseline and the heal budget rest on the held-back records alone.
  if (log.readError !== null) parts.push(unwritable ? 'not readable either' : `log not readable: ${log.readError}`);
  if (log.dropped > 0 && log.held > 0) parts.push(`${log.dropped} oldest held-back records dropped (queue full)`);
  return parts;
}

/** Milliseconds as seconds with two decimals: "1.05 s". */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
