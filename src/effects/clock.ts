// The clock behind an interface: wall time for record stamps, a monotonic clock for spans, and sleep.

/** Time as the guard sees it; tests pass a fake. */
export interface Clock {
  /** Wall-clock time in milliseconds since the epoch, with sub-millisecond precision. */
  nowMs(): number;
  /** A monotonic clock in milliseconds (for latencies and intervals; never jumps). */
  monoMs(): number;
  /** Resolves after `ms` on the monotonic clock, or rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
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
  };
}

/** The longest delay a Node timer takes (2^31 − 1 ms, 24.8 days); a longer one would fire after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Sleeps on a timer (in steps past MAX_TIMER_MS); rejects with the signal's reason when aborted. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  for (let left = ms; left > MAX_TIMER_MS; left -= MAX_TIMER_MS) await sleepOnce(MAX_TIMER_MS, signal);
  return sleepOnce(ms > MAX_TIMER_MS ? ms % MAX_TIMER_MS : ms, signal);
}

function sleepOnce(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
