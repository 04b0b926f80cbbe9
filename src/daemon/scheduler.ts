// The daemon's scheduler: a cycle at start and then at every tick, never two at once (a tick that comes
// while a cycle runs is skipped and noted), and on stop the cycle in flight is finished.
import type { Clock } from '../effects/clock.js';
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

/** Runs cycles until `signal` aborts, then waits for the cycle in flight; resolves with the number of cycles run. */
export async function runScheduler(opts: SchedulerOptions, signal: AbortSignal): Promise<number> {
  const now = () => ({ mono: opts.clock.monoMs(), wall: opts.clock.nowMs() });
  // The ticks count from the phase's end as planned, not from when its timer fired: a loop blocked at start (every
  // target's first read of its log) fires a thousand late phase timers at once, and ticks counted from that moment
  // would keep those targets probing in one clump for the daemon's life.
  const phaseMs = Math.max(0, opts.phaseMs ?? 0);
  const anchor = { mono: opts.clock.monoMs() + phaseMs, wall: opts.clock.nowMs() + phaseMs };
  if (phaseMs > 0) {
    try {
      await opts.clock.sleep(phaseMs, signal);
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
      await opts.clock.sleep(Math.max(0, due - opts.clock.monoMs()), signal);
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
