// The daemon's loops, one per target (a config without `targets:` is one loop, the guard itself): each
// target runs on its own schedule, its first cycle at a phase of its own (from a hash of its name) so
// that targets do not all probe at the same moment, never two of its cycles at once; its records held
// back in its own queue when its log cannot be written. A reload adds and stops loops to match the config.
import type { GuardConfig } from '../config/config.js';
import type { Schedule } from '../core/schedule.js';
import type { Clock } from '../effects/clock.js';
import type { CycleObserver, CycleSchedule } from '../cycle/cycle-watch.js';
import { daemonCycleRunner, type CycleParts, type DaemonCycleRunner } from './daemon-cycle.js';
import { noteLine, sameSchedule, scheduleOf } from './daemon-lines.js';
import { loopMemory, routineSummary, type RoutineSummary } from './routine-summary.js';
import type { DaemonLog } from './daemon-log.js';
import { heldRecords, type HeldRecords } from './held-log.js';
import { LoopStop, runScheduler, type SchedulerNote } from './scheduler.js';

/** One target's loop. */
export interface TargetLoop {
  /** The target's name; null for a config without targets. */
  name: string | null;
  queue: HeldRecords;
  /** The target's config in force (it changes on reload). */
  config: GuardConfig;
  /** Resolves with the number of cycles run once the loop has stopped (its cycle in flight finished). */
  done: Promise<number>;
  /** Stops the loop (the cycle in flight finishes). */
  stop(): void;
  /** The cycle in flight, or null. */
  running: number | null;
}

/** What the loops need from the daemon. */
export interface LoopDeps {
  parts: CycleParts;
  clock: Clock;
  log: DaemonLog;
  observe: () => CycleObserver | null;
  /** Called before each cycle (the daemon checks its lock). */
  beforeCycle(): void;
}

/** The targets a config runs: its `targets:`, or itself. */
export function unitsOf(config: GuardConfig): GuardConfig[] {
  return config.targets.length > 0 ? config.targets : [config];
}

/** Above this many targets, routine scheduler.log lines (starts, OK ends, repeated findings, skips) are summarised
 * (a problem keeps its own line). */
export const SUMMARY_ABOVE = 100;

/** A stable phase in [0, span) for a target's name (FNV-1a), so restarts keep the same spread. */
export function phaseOf(name: string | null, spanMs: number): number {
  if (name === null || spanMs <= 0) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h % Math.floor(spanMs);
}

/** The loops of the daemon: started for a config, matched to a new one on reload. */
export function targetLoops(deps: LoopDeps, stopAll: AbortSignal) {
  const loops = new Map<string | null, TargetLoop>();
  const setters = new Map<TargetLoop, (c: GuardConfig) => void>();
  // Loops a reload stopped: their cycles still count, and the stop waits for their cycle in flight.
  const retired: Promise<number>[] = [];
  // Past SUMMARY_ABOVE targets, routine lines (a cycle's start, an OK end) are counted into one line a minute.
  let summary: RoutineSummary | null = null;
  // The daemon's stop stops every loop: one listener for all (a signal per loop made of both, AbortSignal.any,
  // cost each loop an event target, its maps and weak references: ~1 KB a target).
  stopAll.addEventListener('abort', () => {
    for (const loop of loops.values()) loop.stop();
  }, { once: true });
  const start = (config: GuardConfig, spread: boolean): TargetLoop => {
    const name = config.target;
    const log = name === null ? deps.log : new PrefixedLog(deps.log, `[${name}] `);
    const queue = heldRecords();
    const runner: DaemonCycleRunner = daemonCycleRunner(deps.parts, queue, log, { clock: deps.clock, observe: deps.observe });
    const stop = new LoopStop();
    if (stopAll.aborted) stop.abort(stopAll.reason);
    let schedule: Schedule = scheduleOf(config);
    const loop: TargetLoop = { name, queue, config, done: Promise.resolve(0), stop: () => stop.abort(stopAll.reason), running: null };
    const setConfig = (next: GuardConfig): void => {
      const s = scheduleOf(next);
      // A new schedule object makes the scheduler plan from now; an unchanged one keeps the cadence.
      if (!sameSchedule(s, schedule)) schedule = s;
      loop.config = next;
    };
    setters.set(loop, setConfig);
    // The running cycle's schedule: its start lag, and the ticks skipped while it runs (told when it ends).
    let lagMs = 0;
    let current: CycleSchedule | null = null;
    const runCycle = async (n: number): Promise<string> => {
      loop.running = n;
      deps.beforeCycle();
      const schedule = (current = { lagMs, skipped: 0 });
      try {
        return await runner.run(n, loop.config, schedule);
      } finally {
        loop.running = null;
        current = null;
      }
    };
    const memory = loopMemory();
    const note = (n: SchedulerNote): void => {
      if (n.kind === 'cycle-start') lagMs = n.lagMs ?? 0;
      if (n.kind === 'skip' && current !== null) current.skipped += 1;
      const bad = n.kind === 'cycle-error' || (n.kind === 'cycle-end' && runner.troubled(n.cycle));
      if (!bad && summary?.absorb(n, memory)) return;
      if (bad) log.problem(noteLine(n));
      else log.info(noteLine(n));
    };
    // Spread over the first interval (a cron schedule fires at its times: no phase).
    const phaseMs = spread && schedule.kind === 'interval' ? phaseOf(name, schedule.everyMs) : 0;
    loop.done = runScheduler({ schedule: () => schedule, clock: deps.clock, runCycle, note, phaseMs }, stop);
    loops.set(name, loop);
    return loop;
  };
  return {
    /** Starts a loop for every target of the config. */
    startAll(config: GuardConfig): void {
      const units = unitsOf(config);
      summary = units.length > SUMMARY_ABOVE ? routineSummary(deps.clock, deps.log) : null;
      for (const unit of units) start(unit, units.length > 1);
    },
    /** Matches the loops to a reloaded config: new targets start, removed ones stop, the rest take their new config. */
    reload(config: GuardConfig): { added: string[]; removed: string[] } {
      const units = unitsOf(config);
      const wanted = new Map(units.map((u) => [u.target, u]));
      const removed: string[] = [];
      for (const [name, loop] of loops) {
        const next = wanted.get(name);
        if (next === undefined) {
          loop.stop();
          loops.delete(name);
          setters.delete(loop);
          retired.push(loop.done);
          removed.push(name ?? '(the guard)');
        } else setters.get(loop)?.(next);
      }
      const added = units.filter((u) => !loops.has(u.target)).map((u) => start(u, units.length > 1).name ?? '(the guard)');
      return { added, removed };
    },
    /** The loops now running. */
    all: (): TargetLoop[] => [...loops.values()],
    /** Waits for every loop to stop; resolves with the cycles run in all. */
    async finished(): Promise<number> {
      for (;;) {
        const pending = [...loops.values()];
        const counts = await Promise.all([...pending.map((l) => l.done), ...retired]);
        // A reload may have started a loop while we waited: wait for it too.
        if ([...loops.values()].every((l) => pending.includes(l))) {
          summary?.final();
          return counts.reduce((a, b) => a + b, 0);
        }
      }
    },
  };
}

// A target's lines: the daemon's log with the target's name in front. A class, so that 10,000 targets share
// its methods (an object literal with a getter cost each target ~900 B: five closures and a property dictionary).
class PrefixedLog implements DaemonLog {
  constructor(
    private readonly log: DaemonLog,
    private readonly prefix: string,
  ) {}
  info(m: string): void {
    this.log.info(`${this.prefix}${m}`);
  }
  problem(m: string): void {
    this.log.problem(`${this.prefix}${m}`);
  }
  get path(): string {
    return this.log.path;
  }
  moveTo(p: string): void {
    this.log.moveTo(p);
  }
}
