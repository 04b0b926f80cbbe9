// The guard's own stalls: a timer that should fire every `everyMs` and notes how late it fired. A late
// timer means the guard's event loop (or the whole process, descheduled on a busy host) could not run:
// a probe timed across such a stall measured the guard, not the service. The stalls of the last
// `keepMs` are kept so a cycle can ask how much of its probe's span was stalled.
import type { Clock } from '../effects/clock.js';

/** The least lateness that counts as a stall (a timer's ordinary jitter stays below it). */
export const STALL_MIN_MS = 20;

/** Watches the event loop; `stalledMs` is the stalled part of a span on the monotonic clock. */
export interface StallWatch {
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

/** Starts watching. */
export function stallWatch(clock: Pick<Clock, 'monoMs'>, opts: StallWatchOptions = {}): StallWatch {
  const everyMs = opts.everyMs ?? 50;
  const keepMs = opts.keepMs ?? 300_000;
  const minMs = opts.minMs ?? STALL_MIN_MS;
  const stalls: Array<{ from: number; to: number }> = [];
  let last = clock.monoMs();
  const tick = (): void => {
    const now = clock.monoMs();
    const late = now - last - everyMs;
    if (late >= minMs) stalls.push({ from: now - late, to: now });
    last = now;
    while (stalls.length > 0 && (stalls[0] as { to: number }).to < now - keepMs) stalls.shift();
  };
  const timer = (opts.timer ?? intervalTimer)(tick, everyMs);
  return {
    stalledMs(fromMono, toMono) {
      tick(); // a stall still going on (this call came late) counts too
      let sum = 0;
      for (const s of stalls) sum += Math.max(0, Math.min(s.to, toMono) - Math.max(s.from, fromMono));
      return sum;
    },
    stop: () => timer.stop(),
  };
}

function intervalTimer(fn: () => void, ms: number): { stop(): void } {
  const t = setInterval(fn, ms);
  t.unref();
  return { stop: () => clearInterval(t) };
}
