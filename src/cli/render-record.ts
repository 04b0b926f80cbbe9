// One record as one readable line (tail, status, demo). A record whose fields have the wrong types is
// shown raw with what is wrong; the caller makes the line safe for a terminal (terminal-text.ts).
import { classifyRecord, type CheckRecord, type EventRecord } from '../log/records.js';

const num = (v: number | null | undefined, digits: number): string => (typeof v === 'number' ? v.toFixed(digits) : 'n/a');
const tsOf = (record: unknown): string => {
  const ts = (record as { ts?: unknown } | null)?.ts;
  return typeof ts === 'string' ? ts : '(no ts)';
};

/** A command as a short readable line: the program (and a script after an interpreter) by its file name, cut at
 * 80 characters; --json has it whole. */
function shortCommand(words: string[]): string {
  const text = words.map((w, i) => (i < 2 && w.startsWith('/') ? (w.split('/').pop() ?? w) : /\s/.test(w) ? JSON.stringify(w) : w)).join(' ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function checkLine(r: CheckRecord): string {
  const health = r.lat.ok ? 'ok       ' : 'UNHEALTHY';
  const z = r.score === null ? 'z=n/a' : `z=${num(r.score, 2)}`;
  const res = `cpu ${num(r.res.cpu, 1)}% mem ${num(r.res.mem, 1)}% disk ${num(r.res.disk, 1)}%`;
  const why = r.lat.ok ? '' : `  ${r.lat.error ?? ''}`;
  return `check             ${health} ${num(r.lat.latency_ms, 1).padStart(7)} ms  ${z.padEnd(8)} ${res}${why}`;
}

function healLine(r: Extract<EventRecord, { event: 'self_heal' }>): string {
  const how = r.error ? r.error : r.timed_out ? 'timed out' : r.signal ? `killed by ${r.signal}` : `exit ${String(r.exit_code)}`;
  return `${how} in ${(r.duration_ms / 1000).toFixed(2)} s: ${shortCommand(r.command)}`;
}

function eventDetail(r: EventRecord): string {
  switch (r.event) {
    case 'anomaly_trigger':
    case 'resource_warning':
      return r.reasons.join('; ');
    case 'heal_start':
      return shortCommand(r.command);
    case 'self_heal':
      return healLine(r);
    case 'heal_suppressed':
    case 'heal_resumed':
      return `${r.why}${r.detail ? `: ${r.detail}` : ''}`;
    case 'heal_verify':
      return `${r.recovered ? 'recovered' : `NOT recovered${r.error ? ` (${r.error})` : ''}`} ${num(r.latency_ms, 1)} ms`;
    case 'heal_budget_exhausted':
      return `${r.heals_last_hour} heals in the last hour (max ${r.max_per_hour})${r.latched ? '; healing stopped until healthy or heal-reset' : ''}`;
    case 'recovered':
      return `${r.cleared.join('; ')} cleared${r.duration_ms === null ? '' : ` after ${(r.duration_ms / 1000).toFixed(1)} s`}`;
    case 'alert_sent':
      return `${r.key} via ${r.channels.join(', ')}${r.ok ? '' : ' (FAILED)'}`;
    case 'cycle_timeout':
      return `cycle aborted after ${r.timeout_ms} ms`;
  }
}

/** Formats a parsed record as `ts  kind  details`; one that is not a valid record as `ts  kind  invalid (why): raw`. */
export function formatRecordLine(record: unknown): string {
  const c = classifyRecord(record);
  const ts = tsOf(record);
  switch (c.kind) {
    case 'check':
      return `${ts}  ${checkLine(c.record)}`;
    case 'event':
      return `${ts}  ${c.record.event.padEnd(17)} ${eventDetail(c.record)}`;
    case 'unknown_event':
      return `${ts}  ${c.event.padEnd(17)} ${JSON.stringify(record)}`;
    case 'invalid':
      return `${ts}  ${c.what.padEnd(17)} invalid record (${c.problem}): ${JSON.stringify(record)}`;
  }
}
