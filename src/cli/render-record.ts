// One record as one readable line (tail, demo).
import type { CheckRecord, GuardRecord } from '../log/records.js';

const num = (v: number | null | undefined, digits: number): string => (typeof v === 'number' ? v.toFixed(digits) : 'n/a');

/** A command as a short readable line: the program (and a script after an interpreter) by its file name, cut at
 * 80 characters; --json has it whole. */
function shortCommand(command: unknown): string {
  const words = Array.isArray(command) ? command.map((w) => String(w)) : [String(command)];
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

function eventLine(r: Record<string, unknown>): string {
  const event = String(r.event);
  const label = event.padEnd(17);
  switch (event) {
    case 'anomaly_trigger':
    case 'resource_warning':
      return `${label} ${(r.reasons as string[] | undefined)?.join('; ') ?? ''}`;
    case 'heal_start':
      return `${label} ${shortCommand(r.command)}`;
    case 'self_heal': {
      const how = r.error ? String(r.error) : r.timed_out ? 'timed out' : r.signal ? `killed by ${String(r.signal)}` : `exit ${String(r.exit_code)}`;
      return `${label} ${how} in ${(Number(r.duration_ms) / 1000).toFixed(2)} s: ${shortCommand(r.command)}`;
    }
    case 'heal_suppressed':
      return `${label} ${String(r.why)}${r.detail ? `: ${String(r.detail)}` : ''}`;
    case 'heal_verify':
      return `${label} ${r.recovered ? 'recovered' : `NOT recovered${r.error ? ` (${String(r.error)})` : ''}`} ${num(r.latency_ms as number, 1)} ms`;
    case 'heal_budget_exhausted':
      return `${label} ${String(r.heals_last_hour)} heals in the last hour (max ${String(r.max_per_hour)})${r.latched ? '; healing stopped until healthy or heal-reset' : ''}`;
    case 'heal_resumed':
      return `${label} ${String(r.why)}${r.detail ? `: ${String(r.detail)}` : ''}`;
    case 'recovered':
      return `${label} ${(r.cleared as string[] | undefined)?.join('; ') ?? ''} cleared${typeof r.duration_ms === 'number' ? ` after ${(r.duration_ms / 1000).toFixed(1)} s` : ''}`;
    case 'alert_sent':
      return `${label} ${String(r.key)} via ${(r.channels as string[] | undefined)?.join(', ') ?? ''}${r.ok ? '' : ' (FAILED)'}`;
    case 'cycle_timeout':
      return `${label} cycle aborted after ${String(r.timeout_ms)} ms`;
    default:
      return `${label} ${JSON.stringify(r)}`;
  }
}

/** Formats a parsed record as `ts  kind  details`. */
export function formatRecordLine(record: unknown): string {
  if (typeof record !== 'object' || record === null) return JSON.stringify(record);
  const r = record as GuardRecord & Record<string, unknown>;
  const ts = typeof r.ts === 'string' ? r.ts : '(no ts)';
  if (r.event === undefined && typeof r.lat === 'object' && r.lat !== null) return `${ts}  ${checkLine(r as CheckRecord)}`;
  if (typeof r.event === 'string') return `${ts}  ${eventLine(r)}`;
  return `${ts}  ${JSON.stringify(r)}`;
}
