// The daemon's cap on probes in flight (max_concurrent_probes): a probe takes a slot before its clock starts and
// gives it back when it ends, so hanging targets hold at most the cap and the others wait only for a free slot,
// a wait that is logged (lat.queued_ms) and counted, never part of latency_ms.
import type { Clock } from './clock.js';

/** A slot taken: give it back once; `waitedMs` is how long the probe waited for it (0 = at once). */
export interface ProbeSlot {
  release(): void;
  waitedMs: number;
}

/** Totals since start: probes that had to wait for a slot and how long they waited in all. */
export interface ProbeSlotStats {
  inFlight: number;
  waiting: number;
  max: number;
  waits: number;
  waitedMs: number;
}

/** The slots of one daemon, shared by every target. */
export interface ProbeSlots {
  /** Resolves with a slot, at once when one is free, else in turn; rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<ProbeSlot>;
  /** Changes the cap (a reload); waiting probes take the new slots at once. */
  setMax(max: number): void;
  stats(): ProbeSlotStats;
}

/** Slots for at most `max` probes at once, first come first served. */
export function probeSlots(max: number, clock: Pick<Clock, 'monoMs'>): ProbeSlots {
  let cap = max;
  let inFlight = 0;
  let waits = 0;
  let waitedMs = 0;
  const queue: Array<() => void> = [];
  const grant = (): ProbeSlot['release'] => {
    inFlight += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      inFlight -= 1;
      next();
    };
  };
  const next = (): void => {
    while (inFlight < cap && queue.length > 0) queue.shift()?.();
  };
  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (inFlight < cap && queue.length === 0) return Promise.resolve({ release: grant(), waitedMs: 0 });
      const since = clock.monoMs();
      return new Promise((resolve, reject) => {
        const take = (): void => {
          signal?.removeEventListener('abort', onAbort);
          const waited = clock.monoMs() - since;
          waits += 1;
          waitedMs += waited;
          resolve({ release: grant(), waitedMs: waited });
        };
        const onAbort = (): void => {
          const at = queue.indexOf(take);
          if (at >= 0) queue.splice(at, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(take);
      });
    },
    setMax(max) {
      cap = max;
      next();
    },
    stats: () => ({ inFlight, waiting: queue.length, max: cap, waits, waitedMs }),
  };
}
