// The daemon's scheduler: a cycle at start and then at every tick, never two at once (a tick that comes
// while a cycle runs is skipped and noted), and on stop the cycle in flight is finished.
import type { Clock } from '../effects/clock.js';
import { PlainAbort } from '../effects/plain-abort.js';
import { planner, type Schedule } from '../core/schedule.js';

/** What the scheduler tells the daemon's log. */
export type SchedulerNote =
  | { kind: 'cycle-start'; cycle: number; lagMs?: number }
  | { kind: 'cycle-end'; cycle: number; durationMs: number; outcome: string }
  | { kind: 'cycle-error'; cycle: number; durationMs: number; error: string }
  | { kind: 'skip'; tick: number; running: number; runningForMs: number };

/** How the scheduler runs. */
export interface SchedulerOptions {
  schedule: () => Schedule;
  clock: Clock;
  /** Runs one cycle; resolves with a one-line outcome. It must honour its own cycle timeout. */
  runCycle(cycle: number): Promise<string>;
  note(note: SchedulerNote): void;
  /** Wait this long before the first cycle (targets spread their phases); the ticks follow from it. */
  phaseMs?: number;
}

/** What stops a scheduler: an AbortSignal, or a LoopStop (what the daemon gives each target's loop). */
export type SchedulerStop = AbortSignal | LoopStop;

/** A plain stop for one loop: an AbortController per target was an event target, two maps and a listener each (~1 KB
 * a target at 10,000 targets, for the GC to mark at every full collection). `abort()` ends its wait for the next tick
 * at once (the cycle in flight finishes). */
export class LoopStop extends PlainAbort {}

// Waits `ms` on the clock unless `stop` stops first (rejects then). With a clock that has a plain timer, no AbortSignal is
// made for the wait; a clock without one (a test's) or a wait past Node's longest timer sleeps on a signal that
// follows `stop`.
function waitOrStop(clock: Clock, ms: number, stop: SchedulerStop): Promise<void> {
  if (stop instanceof AbortSignal) return clock.sleep(ms, stop);
  if (stop.aborted) return Promise.reject(stop.reason);
  return new Promise<void>((resolve, reject) => {
    let cancel: () => void = () => undefined;
    const onStop = (): void => {
      cancel();
      reject(stop.reason);
    };
    const done = (): void => {
      stop.removeEventListener('abort', onStop);
      resolve();
    };
    const timer = clock.after?.(ms, done);
    if (timer !== undefined) cancel = timer;
    else {
      const follow = new AbortController();
      clock.sleep(ms, follow.signal).then(done, () => undefined);
      cancel = () => follow.abort();
    }
    stop.addEventListener('abort', onStop);
  });
}

/** Runs cycles until `signal` aborts, then waits for the cycle in flight; resolves with the number of cycles run. */
export async function runScheduler(opts: SchedulerOptions, signal: SchedulerStop): Promise<number> {
  const now = () => ({ mono: opts.clock.monoMs(), wall: opts.clock.nowMs() });
  // The ticks count from the phase's end as planned, not from when its timer fired: a loop blocked at start (every
  // target's first read of its log) fires a thousand late phase timers at once, and ticks counted from that moment
  // would keep those targets probing in one clump for the daemon's life.
  const phaseMs = Math.max(0, opts.phaseMs ?? 0);
  const anchor = { mono: opts.clock.monoMs() + phaseMs, wall: opts.clock.nowMs() + phaseMs };
  if (phaseMs > 0) {
    try {
      await waitOrStop(opts.clock, phaseMs, signal);
    } catch {
      return 0;
    }
  }
  let plan = planner(opts.schedule(), anchor);
  let planned = opts.schedule();
  let cycles = 0;
  let tick = 0;
  let lastDue = anchor.mono; // the first cycle ran for the tick at the anchor
  let inFlight: { cycle: number; startedMono: number; done: Promise<void> } | null = null;
  // How late a cycle starts after its planned time (start to start): the scheduler's own lag.
  const start = (dueMono: number): void => {
    cycles += 1;
    const cycle = cycles;
    const startedMono = opts.clock.monoMs();
    opts.note({ kind: 'cycle-start', cycle, lagMs: Math.max(0, startedMono - dueMono) });
    const done = opts.runCycle(cycle).then(
      (outcome) => opts.note({ kind: 'cycle-end', cycle, durationMs: opts.clock.monoMs() - startedMono, outcome }),
      (err: unknown) => opts.note({ kind: 'cycle-error', cycle, durationMs: opts.clock.monoMs() - startedMono, error: (err as Error)?.message ?? String(err) }),
    );
    inFlight = { cycle, startedMono, done: done.finally(() => (inFlight = null)) };
  };
  start(Math.min(anchor.mono, opts.clock.monoMs()));
  while (!signal.aborted) {
    const current = opts.schedule();
    if (current !== planned) {
      planned = current; // a reload changed the schedule: plan from now
      plan = planner(current, now());
    }
    // A timer may fire a little before its time on the monotonic clock: the tick just run is never due again.
    const at = now();
    const due = plan.next(at.mono < lastDue ? { mono: lastDue, wall: at.wall + (lastDue - at.mono) } : at);
    lastDue = due;
    try {
      await waitOrStop(opts.clock, Math.max(0, due - opts.clock.monoMs()), signal);
    } catch {
      break;
    }
    tick += 1;
    const running = inFlight as { cycle: number; startedMono: number } | null;
    if (running) opts.note({ kind: 'skip', tick, running: running.cycle, runningForMs: opts.clock.monoMs() - running.startedMono });
    else start(due);
  }
  const last = inFlight as { done: Promise<void> } | null;
  if (last) await last.done;
  return cycles;
}
