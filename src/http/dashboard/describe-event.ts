// One line of words for each log record the dashboard lists: a short label, a tone for its colour and the detail.
// A record is checked first (record-guards.ts): one with fields of the wrong type shows raw, with what is wrong.
import { classifyRecord, type EventRecord } from '../../log/records.js';
import { formatDuration, formatLatency } from './format.js';

/** How an event reads in the table: label, colour tone, detail text. */
export interface EventText {
  label: string;
  tone: 'bad' | 'warn' | 'good' | 'info' | 'muted';
  detail: string;
}

function healOutcome(r: Extract<EventRecord, { event: 'self_heal' }>): EventText {
  const took = `after ${formatDuration(r.duration_ms)}`;
  if (r.error) return { label: 'Heal', tone: 'bad', detail: `could not start: ${r.error}` };
  if (r.timed_out) return { label: 'Heal', tone: 'bad', detail: `timed out ${took}` };
  if (r.aborted) return { label: 'Heal', tone: 'bad', detail: `cut off ${took}` };
  if (r.signal) return { label: 'Heal', tone: 'bad', detail: `killed by ${r.signal} ${took}` };
  return { label: 'Heal', tone: r.exit_code === 0 ? 'info' : 'bad', detail: `exit ${r.exit_code ?? '?'} ${took}` };
}

const shorten = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

const raw = (rec: unknown): string => shorten(JSON.stringify(rec) ?? String(rec), 300);

/** The label, tone and detail of a record as it came: checked, then described (an invalid one raw). */
export function describeEvent(rec: unknown): EventText {
  const c = classifyRecord(rec);
  switch (c.kind) {
    case 'event':
      return describeKnown(c.record);
    case 'check':
      return { label: 'Check', tone: 'muted', detail: raw(rec) };
    case 'unknown_event':
      return { label: c.event, tone: 'muted', detail: raw({ ...(rec as object), event: undefined, ts: undefined }) };
    case 'invalid':
      return { label: c.what, tone: 'muted', detail: `invalid record (${c.problem}): ${raw(rec)}` };
  }
}

function describeKnown(r: EventRecord): EventText {
  switch (r.event) {
    case 'anomaly_trigger':
      return { label: 'Trigger', tone: 'bad', detail: r.reasons.join('; ') };
    case 'heal_start':
      return { label: 'Heal started', tone: 'info', detail: shorten(r.command.join(' '), 100) };
    case 'self_heal':
      return healOutcome(r);
    case 'heal_suppressed':
      return { label: 'Heal suppressed', tone: 'muted', detail: r.detail ? `${r.why}: ${r.detail}` : r.why };
    case 'heal_verify':
      return r.recovered
        ? { label: 'Verify', tone: 'good', detail: `recovered (${formatLatency(r.latency_ms)})` }
        : { label: 'Verify', tone: 'bad', detail: `still failing${r.error ? `: ${r.error}` : ''} (${formatLatency(r.latency_ms)})` };
    case 'resource_warning':
      return { label: 'Warning', tone: 'warn', detail: r.reasons.join('; ') };
    case 'recovered':
      return { label: 'Recovered', tone: 'good', detail: `cleared ${r.cleared.join('; ') || 'findings'}${r.duration_ms === null ? '' : ` after ${formatDuration(r.duration_ms)}`}` };
    case 'cycle_timeout':
      return { label: 'Cycle timeout', tone: 'bad', detail: `cycle aborted after ${formatDuration(r.timeout_ms)}` };
    case 'heal_budget_exhausted':
      return { label: 'Heal budget spent', tone: 'bad', detail: `${r.heals_last_hour} of ${r.max_per_hour} heals in the last hour${r.latched ? '; healing stopped until reset or healthy' : ''}` };
    case 'heal_resumed':
      return { label: 'Heal resumed', tone: 'good', detail: r.detail ? `${r.why}: ${r.detail}` : r.why };
    case 'alert_sent':
      return { label: 'Alert', tone: r.ok ? 'warn' : 'bad', detail: `${r.key} via ${r.channels.join(', ') || 'no channel'}${r.ok ? '' : ' (failed)'}` };
  }
}
