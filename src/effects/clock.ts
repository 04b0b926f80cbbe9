// The clock behind an interface: wall time for record stamps, a monotonic clock for spans, and sleep.

/** Time as the guard sees it; tests pass a fake. */
export interface Clock {
  /** Wall-clock time in milliseconds since the epoch, with sub-millisecond precision. */
  nowMs(): number;
  /** A monotonic clock in milliseconds (for latencies and intervals; never jumps). */
  monoMs(): number;
  /** Resolves after `ms` on the monotonic clock, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Calls `fn` after `ms` unless the returned function is called first; undefined when the clock has no such timer
   * (the caller then sleeps). A cheaper timeout than a sleep with a signal of its own. */
  after?(ms: number, fn: () => void): (() => void) | undefined;
}

/** The real clock: wall time re-anchored whenever the system clock jumps, so stamps keep µs precision. */
export function systemClock(): Clock {
  let anchor = Date.now() - performance.now();
  return {
    nowMs() {
      const mono = performance.now();
      const wall = Date.now();
      const estimate = anchor + mono;
      if (Math.abs(estimate - wall) > 1) {
        anchor = wall - mono;
        return wall;
      }
      return estimate;
    },
    monoMs: () => performance.now(),
    sleep: (ms, signal) => sleep(ms, signal),
    after(ms, fn) {
      if (ms > MAX_TIMER_MS) return undefined;
      const timer = setTimeout(fn, Math.max(0, ms));
      return () => clearTimeout(timer);
    },
  };
}

/** The longest delay a Node timer takes (2^31 − 1 ms, 24.8 days); a longer one would fire after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Sleeps on a timer (in steps past MAX_TIMER_MS); rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= MAX_TIMER_MS) return sleepOnce(ms, signal);
  return (async () => {
    for (let left = ms; left > MAX_TIMER_MS; left -= MAX_TIMER_MS) await sleepOnce(MAX_TIMER_MS, signal);
    return sleepOnce(ms % MAX_TIMER_MS, signal);
  })();
}

type Sleeper = { timer: ReturnType<typeof setTimeout>; reject: (reason: unknown) => void };

// The sleeps waiting on each signal, with one abort listener per signal for all of them: a daemon's loops sleep on
// their long-lived stop signals thousands of times a second, and a listener added and removed per sleep (the event
// target's bookkeeping) cost more than the timer.
const sleepersOf = new WeakMap<AbortSignal, Set<Sleeper>>();

function sleepersFor(signal: AbortSignal): Set<Sleeper> {
  let sleepers = sleepersOf.get(signal);
  if (sleepers === undefined) {
    const set = new Set<Sleeper>();
    sleepers = set;
    sleepersOf.set(signal, set);
    signal.addEventListener('abort', () => {
      for (const s of set) {
        clearTimeout(s.timer);
        s.reject(signal.reason);
      }
      set.clear();
    }, { once: true });
  }
  return sleepers;
}

function sleepOnce(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  if (signal.aborted) return Promise.reject(signal.reason);
  const sleepers = sleepersFor(signal);
  return new Promise((resolve, reject) => {
    const sleeper: Sleeper = {
      timer: setTimeout(() => {
        sleepers.delete(sleeper);
        resolve();
      }, Math.max(0, ms)),
      reject,
    };
    sleepers.add(sleeper);
  });
}
