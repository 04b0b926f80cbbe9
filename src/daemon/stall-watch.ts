// The guard's own stalls: a timer that should fire every `everyMs` and notes how late it fired. A late
// timer means the guard's event loop (or the whole process, descheduled on a busy host) could not run:
// a probe timed across such a stall measured the guard, not the service. The timer runs only while a
// span is open (a probe in flight): each wake-up of an idle process costs CPU (at one target and a 1 s
// interval, a timer every 50 ms that never stopped was a third of the daemon's CPU per cycle,
// bench/README.md). The stalls of the last `keepMs` are kept so a span can ask how much of it was stalled.
import type { Clock } from '../effects/clock.js';

/** The least lateness that counts as a stall (a timer's ordinary jitter stays below it). */
export const STALL_MIN_MS = 20;

/** A watched span (a probe with its confirmations): `end()` closes it and returns its stalled milliseconds. */
export interface StallSpan {
  end(): number;
}

/** Watches the event loop while spans are open. */
export interface StallWatch {
  /** Opens a span now; the watch's timer runs while any span is open. */
  span(): StallSpan;
  /** The stalled part of a span on the monotonic clock (of the stalls seen while a span was open). */
  stalledMs(fromMono: number, toMono: number): number;
  stop(): void;
}

/** How the watch runs: its timer's period, how long stalls are kept, and the timer itself (tests inject one). */
export interface StallWatchOptions {
  everyMs?: number;
  keepMs?: number;
  minMs?: number;
  timer?: (fn: () => void, ms: number) => { stop(): void };
}

/** Starts watching (the timer starts with the first open span). */
export function stallWatch(clock: Pick<Clock, 'monoMs'>, opts: StallWatchOptions = {}): StallWatch {
  const everyMs = opts.everyMs ?? 50;
  const keepMs = opts.keepMs ?? 300_000;
  const minMs = opts.minMs ?? STALL_MIN_MS;
  const startTimer = opts.timer ?? intervalTimer;
  const stalls: Array<{ from: number; to: number }> = [];
  let last = clock.monoMs();
  let open = 0;
  let timer: { stop(): void } | null = null;
  let stopped = false;
  const tick = (): void => {
    if (timer === null) return; // not watching: the time since the last span is no stall
    const now = clock.monoMs();
    const late = now - last - everyMs;
    if (late >= minMs) stalls.push({ from: now - late, to: now });
    last = now;
    while (stalls.length > 0 && (stalls[0] as { to: number }).to < now - keepMs) stalls.shift();
  };
  const stalledMs = (fromMono: number, toMono: number): number => {
    tick(); // a stall still going on (this call came late) counts too
    let sum = 0;
    for (const s of stalls) sum += Math.max(0, Math.min(s.to, toMono) - Math.max(s.from, fromMono));
    return sum;
  };
  return {
    span() {
      const from = clock.monoMs();
      if (timer === null && !stopped) {
        last = from;
        timer = startTimer(tick, everyMs);
      }
      open++;
      let ended = false;
      return {
        end() {
          if (ended) return 0;
          ended = true;
          const stalled = stalledMs(from, clock.monoMs());
          open--;
          if (open === 0 && timer !== null) {
            timer.stop();
            timer = null;
          }
          return stalled;
        },
      };
    },
    stalledMs,
    stop() {
      stopped = true;
      timer?.stop();
      timer = null;
    },
  };
}

function intervalTimer(fn: () => void, ms: number): { stop(): void } {
  const t = setInterval(fn, ms);
  t.unref();
  return { stop: () => clearInterval(t) };
}
