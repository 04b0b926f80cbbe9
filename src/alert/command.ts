// The command provider: runs `alert.command` with the record as one JSON line on stdin, in the config's
// folder (as the heal); ok when it exits 0 within alert.timeout.
import type { GuardConfig } from '../config/config.js';
import type { ProcessRunner, RunResult } from '../effects/process-runner.js';
import type { AlertDelivery, AlertProvider } from './provider.js';

const ALERT_KILL_GRACE_MS = 1000;
const MAX_DETAIL_CHARS = 200;

/** The command provider of a config; it carries records. */
export function commandProvider(config: Pick<GuardConfig, 'alert' | 'baseDir'>, deps: { runner: ProcessRunner }): AlertProvider {
  const opts = { command: config.alert.command, timeoutMs: config.alert.timeoutMs, cwd: config.baseDir };
  return {
    channel: 'command',
    configured: () => opts.command.length > 0,
    send: async (event, signal) => (event.kind === 'record' ? runAlertCommand(event.record, { ...opts, signal }, deps) : null),
  };
}

/** Runs the command with `record` as one JSON line on stdin; a failure is a value with a one-line detail. */
export async function runAlertCommand(
  record: object,
  opts: { command: string[]; timeoutMs: number; cwd?: string; signal?: AbortSignal },
  deps: { runner: ProcessRunner },
): Promise<AlertDelivery> {
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
