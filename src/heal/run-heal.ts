// Runs the heal command with the trigger record on its stdin and records the outcome as a self_heal record.
import { formatTs, roundMs } from '../core/format.js';
import type { Clock } from '../effects/clock.js';
import type { ContainmentReport, ProcessRunner, RunResult } from '../effects/process-runner.js';
import type { AnomalyTriggerRecord, SelfHealRecord } from '../log/records.js';

// A heal that forks a crowd must not make one huge record.
const MAX_LEFT_RUNNING = 20;

/** How to run the heal command. */
export interface HealRunOptions {
  command: string[];
  timeoutMs: number;
  /** SIGTERM→SIGKILL delay for the heal's process group (at most 5000). */
  killGraceMs: number;
  cwd?: string;
  signal?: AbortSignal;
  /** Told the heal's pid (its process group) once it runs. */
  onSpawn?: (pid: number) => void;
}

/** Runs the heal command once; whatever happens, returns the self_heal record to log. */
export async function runHeal(
  trigger: AnomalyTriggerRecord,
  opts: HealRunOptions,
  deps: { runner: ProcessRunner; clock: Pick<Clock, 'nowMs'> },
): Promise<SelfHealRecord> {
  const result = await deps.runner({
    argv: opts.command,
    input: `${JSON.stringify(trigger)}\n`,
    timeoutMs: opts.timeoutMs,
    killGraceMs: opts.killGraceMs,
    cwd: opts.cwd,
    signal: opts.signal,
    contain: true,
    ...(opts.onSpawn ? { onSpawn: opts.onSpawn } : {}),
  });
  return selfHealRecord(opts.command, result, deps.clock.nowMs());
}

/** The self_heal record of a finished run; `error` only when the command could not start, `aborted` only when stopped by an abort. */
export function selfHealRecord(command: string[], result: RunResult, nowMs: number): SelfHealRecord {
  const record: SelfHealRecord & { aborted?: true } = {
    event: 'self_heal',
    ts: formatTs(nowMs),
    command: [...command],
    exit_code: result.exitCode,
    signal: result.signal,
    timed_out: result.timedOut,
    duration_ms: roundMs(result.durationMs),
    stdout_tail: result.stdoutTail,
    stderr_tail: result.stderrTail,
  };
  if (result.error !== null) record.error = result.error;
  // Why a heal was killed is part of the record: a cycle_timeout abort is not a heal timeout.
  if (result.aborted) record.aborted = true;
  if (result.containment !== null) Object.assign(record, containmentFields(result.containment));
  return record;
}

// The record's say on what the heal left running (a service started in the background is left alone).
function containmentFields(c: ContainmentReport): Pick<SelfHealRecord, 'containment' | 'cgroup' | 'left_running'> {
  return {
    containment: c.kind,
    ...(c.cgroup === null ? {} : { cgroup: c.cgroup }),
    left_running: c.leftRunning.slice(0, MAX_LEFT_RUNNING).map((p) => ({ pid: p.pid, comm: p.comm })),
  };
}
