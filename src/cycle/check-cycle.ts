// One guard cycle: measure, assess, append, heal and alert, all within cycle_timeout; then the heartbeat.
import type { GuardConfig } from '../config/config.js';
import { exitStatus, type CheckStatus } from '../core/decision/status.js';
import { formatTs } from '../core/format.js';
import type { History } from '../core/history.js';
import type { AnomalyTriggerRecord, CycleTimeoutRecord, GuardRecord, TargetRecord } from '../log/records.js';
import { healStep, type HealOutcome, type HealStepDeps } from '../heal/heal-step.js';
import { alertProviders } from '../alert/alerting.js';
import { alertQueue } from '../alert/record-alerts.js';
import { assess, type Assessment } from '../core/decision/assess.js';
import type { CycleDeps } from './deps.js';
import { sendHeartbeat } from './heartbeat.js';
import type { StartedHostSample } from './host-sample.js';
import { measure, type Measurement } from './measure.js';
import { readHistory } from './read-history.js';
import { verifyHeal } from './verify.js';
import { merged } from '../core/merged.js';

/** Everything a cycle did, for the summary and the exit status. */
export interface CycleResult {
  status: CheckStatus;
  /** The records appended, in order. */
  records: GuardRecord[];
  measurement: Measurement | null;
  assessment: Assessment | null;
  heal: HealOutcome | null;
  timedOut: boolean;
}

/** Thrown out of a cycle's waits when cycle_timeout fires. */
class CycleTimeout extends Error {}

// Why the cycle's timeout timer is stopped when the cycle ends in time (an abort without a reason makes a
// DOMException, whose stack costs more than the rest of the timer's upkeep).
const CYCLE_ENDED = Symbol('cycle ended');

/** How a cycle runs: an outer stop signal, a host sample already started, and a dry run (no heal, no alert). */
export interface CycleOptions {
  signal?: AbortSignal;
  hostSample?: StartedHostSample;
  dryRun?: boolean;
}

/** Runs one cycle; the log is appended as it goes, so a crash loses at most the step in flight. */
export async function runCycle(config: GuardConfig, deps: CycleDeps, opts: CycleOptions = {}): Promise<CycleResult> {
  const records: GuardRecord[] = [];
  // With `targets:`, every record says whose it is (an added field, after the contract's).
  const stamp = (record: GuardRecord): TargetRecord => (config.target === null ? record : merged(record, { target: config.target }));
  const emit = (record: GuardRecord): void => {
    const stamped = stamp(record);
    deps.log.append(stamped);
    records.push(stamped);
  };
  const timer = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, timer.signal]) : timer.signal;
  const stopTimer = cycleTimer(deps.clock, config.cycleTimeoutMs, () => timer.abort(new CycleTimeout(`cycle timed out after ${config.cycleTimeoutMs} ms`)));
  const result: CycleResult = { status: 0, records, measurement: null, assessment: null, heal: null, timedOut: false };
  const deadlineMono = deps.clock.monoMs() + config.cycleTimeoutMs;
  try {
    await cycleSteps(config, deps, { emit, signal, result, deadlineMono, opts });
  } catch (err) {
    if (!timer.signal.aborted || opts.signal?.aborted) throw err;
    const record: CycleTimeoutRecord = { event: 'cycle_timeout', ts: formatTs(deps.clock.nowMs()), timeout_ms: config.cycleTimeoutMs };
    emit(record);
    result.status = exitStatus(null);
    result.timedOut = true;
  } finally {
    stopTimer();
  }
  if (!result.timedOut) await sendHeartbeat(config, deps, opts.signal);
  return result;
}

// Calls `fire` after `ms` unless the returned function is called first: a plain timer where the clock has one (no
// AbortController and listener per cycle), else a sleep that the returned function aborts.
function cycleTimer(clock: CycleDeps['clock'], ms: number, fire: () => void): () => void {
  const cancel = clock.after?.(ms, fire);
  if (cancel !== undefined) return cancel;
  const stop = new AbortController();
  clock.sleep(ms, stop.signal).then(fire, () => undefined);
  return () => stop.abort(CYCLE_ENDED);
}

type StepContext = { emit: (r: GuardRecord) => void; signal: AbortSignal; result: CycleResult; deadlineMono: number; opts: CycleOptions };

async function cycleSteps(config: GuardConfig, deps: CycleDeps, ctx: StepContext): Promise<void> {
  const { emit, signal, result } = ctx;
  // Confirmation (re-probes) gets the first half of cycle_timeout; the heal and its verification the rest.
  const confirmUntil = ctx.deadlineMono - config.cycleTimeoutMs / 2;
  const measurement = await measure(config, deps, signal, confirmUntil, ctx.opts.hostSample);
  signal.throwIfAborted();
  result.measurement = measurement;
  for (const problem of [...measurement.host.errors, ...(measurement.service?.errors ?? [])]) deps.warn(problem);
  const assessment = assess(config, measurement, deps.clock.nowMs());
  result.assessment = assessment;
  result.status = assessment.status;
  if (assessment.check.clock_back_ms !== undefined) {
    deps.warn(`the wall clock is ${Math.round(assessment.check.clock_back_ms / 1000)}s behind the newest record in the log (it went back); records keep the clock's time and carry clock_back_ms`);
  }
  emit(assessment.check);
  for (const record of assessment.records) emit(record);
  // Only event records are alerted on: a cycle that wrote none (most of them) builds no providers.
  const alerts = assessment.records.length > 0 || assessment.trigger ? cycleAlerts(config, deps, measurement.history, emit, signal, ctx.opts.dryRun === true) : null;
  for (const record of assessment.records) alerts?.offer(record);
  if (assessment.trigger) {
    const step = { trigger: assessment.trigger, resumed: assessment.gate.resume, deadlineMono: ctx.deadlineMono, dryRun: ctx.opts.dryRun === true };
    result.heal = await healStep(config, healDeps(config, deps, assessment.trigger, measurement.history.window), step, (r) => {
      emit(r);
      alerts?.offer(r);
    }, signal);
  }
  await alerts?.settle();
  signal.throwIfAborted();
}

// The cycle's alerts go to the providers of its config as their records are written; a dry run sends none.
function cycleAlerts(config: GuardConfig, deps: CycleDeps, history: History, emit: (r: GuardRecord) => void, signal: AbortSignal, dryRun: boolean) {
  const providers = dryRun ? [] : alertProviders(config, { runner: deps.runner, post: deps.post, sleep: deps.clock.sleep });
  return alertQueue({ providers, repeatMs: config.alert.repeatMs, history, nowMs: () => deps.clock.nowMs(), emit, warn: deps.warn, signal });
}

// What the heal step reads through the cycle: the budget from the log as it is now, and the verification,
// which judges the latency against the baseline the trigger was judged against (the pre-incident one).
function healDeps(config: GuardConfig, deps: CycleDeps, trigger: AnomalyTriggerRecord, baseline: readonly number[]): HealStepDeps {
  return {
    clock: deps.clock,
    runner: deps.runner,
    lockHeal: () => deps.lockHeal(),
    warn: (line) => deps.warn(line),
    readBudget: () => readHistory(config, deps).history,
    verify: (probeTimeoutMs, signal) => verifyHeal(config, deps, { trigger, baseline, probeTimeoutMs }, signal),
  };
}
