// Delivers a record to the alert command (argv, record as JSON on stdin) and phrases records for humans.
import type { ProcessRunner, RunResult } from '../effects/process-runner.js';

/** The outcome of one delivery; a failure is a value with a one-line detail. */
export interface AlertResult {
  channel: 'command' | 'webhook';
  ok: boolean;
  detail: string | null;
}

const ALERT_KILL_GRACE_MS = 1000;
const MAX_DETAIL_CHARS = 200;

/** Runs `alert.command` with the record as one JSON line on stdin, in `cwd` (the config's folder, as the
 * heal); ok when it exits 0 in time. */
export async function runAlertCommand(
  record: object & { event?: string },
  opts: { command: string[]; timeoutMs: number; cwd?: string; signal?: AbortSignal },
  deps: { runner: ProcessRunner },
): Promise<AlertResult> {
  const result = await deps.runner({
    argv: opts.command,
    cwd: opts.cwd,
    input: `${JSON.stringify(record)}\n`,
    timeoutMs: opts.timeoutMs,
    killGraceMs: Math.min(ALERT_KILL_GRACE_MS, Math.max(0, opts.timeoutMs)),
    signal: opts.signal,
  });
  const detail = commandFailure(result, opts.timeoutMs);
  return { channel: 'command', ok: detail === null, detail };
}

function commandFailure(r: RunResult, timeoutMs: number): string | null {
  if (r.error !== null) return `alert command: ${r.error}`;
  if (r.timedOut) return `alert command timed out after ${timeoutMs} ms`;
  if (r.aborted) return 'alert command aborted';
  if (r.signal !== null) return `alert command killed by ${r.signal}`;
  if (r.exitCode !== 0) return `alert command exited with code ${r.exitCode}${lastLine(r.stderrTail)}`;
  return null;
}

function lastLine(text: string): string {
  const line = text.trimEnd().split('\n').pop()?.trim() ?? '';
  return line === '' ? '' : `: ${line.slice(0, MAX_DETAIL_CHARS)}`;
}

/** One line for humans (chat webhooks), e.g. `anomaly-guard: anomaly_trigger — health_unhealthy (HTTP 503)`. */
export function alertText(record: object): string {
  const rec = record as Record<string, unknown>;
  const event = typeof rec.event === 'string' ? rec.event : 'check';
  const summary = summarize(rec);
  const text = summary === '' ? `anomaly-guard: ${event}` : `anomaly-guard: ${event} — ${summary}`;
  return text.replace(/\s+/g, ' ').trim();
}

function summarize(rec: Record<string, unknown>): string {
  if (Array.isArray(rec.reasons) && rec.reasons.length > 0) return rec.reasons.map(String).join(', ');
  switch (rec.event) {
    case 'self_heal':
      return healSummary(rec);
    case 'heal_suppressed':
      return typeof rec.detail === 'string' ? `${String(rec.why)} (${rec.detail})` : String(rec.why);
    case 'heal_verify':
      return rec.recovered === true ? 'recovered' : `not recovered${typeof rec.error === 'string' ? ` (${rec.error})` : ''}`;
    case 'cycle_timeout':
      return `cycle aborted after ${String(rec.timeout_ms)} ms`;
    default:
      return '';
  }
}

function healSummary(rec: Record<string, unknown>): string {
  if (typeof rec.error === 'string') return `heal did not start (${rec.error})`;
  const took = `${String(rec.duration_ms)} ms`;
  if (rec.timed_out === true) return `heal timed out after ${took} (${String(rec.signal)})`;
  if (rec.aborted === true) return `heal aborted after ${took}`;
  if (typeof rec.signal === 'string') return `heal killed by ${rec.signal} after ${took}`;
  return `heal exited with code ${String(rec.exit_code)} after ${took}`;
}
