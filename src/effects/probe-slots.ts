// The daemon's cap on probes in flight (max_concurrent_probes): a probe takes a slot before its clock starts and
// gives it back when it ends, so hanging targets hold at most the cap and the others wait only for a free slot,
// a wait that is logged (lat.queued_ms) and counted, never part of latency_ms.
//
// Two lanes share the cap. A suspect probe (a re-probe confirming a failure or an anomaly, a heal's verification, or
// the probe of a target whose previous check failed) holds its slot until its timeout when the service hangs; suspects
// take at most half the slots, and a waiting probe of a healthy target goes first. Without the lanes, 1,000 hanging
// targets of 10,000 (2 s timeout, two confirmations) wanted ~600 slots of 256 and every healthy target queued behind
// them: ticks skipped, lag in seconds (bench/README.md, scale round 6).
import type { Clock } from './clock.js';

/** A slot taken: give it back once; `waitedMs` is how long the probe waited for it (0 = at once). */
export interface ProbeSlot {
  release(): void;
  waitedMs: number;
}

/** Totals since start: probes that had to wait for a slot and how long they waited in all. */
export interface ProbeSlotStats {
  inFlight: number;
  /** Of inFlight, the suspect probes (at most half the cap). */
  suspectInFlight: number;
  waiting: number;
  max: number;
  waits: number;
  waitedMs: number;
}

/** The slots of one daemon, shared by every target. */
export interface ProbeSlots {
  /** Resolves with a slot, at once when one is free, else in turn (a healthy target's probe before a suspect one);
   * rejects when `signal` aborts first. */
  acquire(signal?: AbortSignal, suspect?: boolean): Promise<ProbeSlot>;
  /** Changes the cap (a reload); waiting probes take the new slots at once. */
  setMax(max: number): void;
  stats(): ProbeSlotStats;
}

/** Slots for at most `max` probes at once, each lane first come first served; suspects at most half of `max`. */
export function probeSlots(max: number, clock: Pick<Clock, 'monoMs'>): ProbeSlots {
  let cap = max;
  let inFlight = 0;
  let suspectInFlight = 0;
  let waits = 0;
  let waitedMs = 0;
  const healthy: Array<() => void> = [];
  const suspects: Array<() => void> = [];
  const suspectCap = (): number => Math.max(1, Math.floor(cap / 2));
  const grant = (suspect: boolean): ProbeSlot['release'] => {
    inFlight += 1;
    if (suspect) suspectInFlight += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      inFlight -= 1;
      if (suspect) suspectInFlight -= 1;
      next();
    };
  };
  const next = (): void => {
    while (inFlight < cap) {
      if (healthy.length > 0) healthy.shift()?.();
      else if (suspects.length > 0 && suspectInFlight < suspectCap()) suspects.shift()?.();
      else return;
    }
  };
  const freeFor = (suspect: boolean): boolean => inFlight < cap && healthy.length === 0 && (!suspect || (suspectInFlight < suspectCap() && suspects.length === 0));
  return {
    acquire(signal, suspect = false) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (freeFor(suspect)) return Promise.resolve({ release: grant(suspect), waitedMs: 0 });
      const queue = suspect ? suspects : healthy;
      const since = clock.monoMs();
      return new Promise((resolve, reject) => {
        const take = (): void => {
          signal?.removeEventListener('abort', onAbort);
          const waited = clock.monoMs() - since;
          waits += 1;
          waitedMs += waited;
          resolve({ release: grant(suspect), waitedMs: waited });
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
    stats: () => ({ inFlight, suspectInFlight, waiting: healthy.length + suspects.length, max: cap, waits, waitedMs }),
  };
}
