// A fake clock for scheduler tests: time moves only when the test advances it.
import type { Clock } from '../../src/effects/clock.js';

/** A Clock whose time the test controls; `advance` wakes the sleepers that are due, in order. */
export interface FakeClock extends Clock {
  advance(ms: number): Promise<void>;
  /** Moves the wall clock only (a clock jump); the monotonic clock is unaffected. */
  jumpWall(ms: number): void;
  pending(): number;
}

/** Creates a fake clock starting at `wallMs` on the wall and 0 on the monotonic clock. */
export function fakeClock(wallMs = Date.parse('2026-01-01T00:00:00Z')): FakeClock {
  let mono = 0;
  let wallOffset = wallMs;
  const sleepers: { at: number; resolve: () => void }[] = [];
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  };
  return {
    nowMs: () => wallOffset + mono,
    monoMs: () => mono,
    sleep(ms, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const entry = { at: mono + Math.max(0, ms), resolve };
        sleepers.push(entry);
        signal?.addEventListener('abort', () => {
          const i = sleepers.indexOf(entry);
          if (i >= 0) sleepers.splice(i, 1);
          reject(signal.reason);
        }, { once: true });
      });
    },
    async advance(ms) {
      const target = mono + ms;
      for (;;) {
        await flush();
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > target) break;
        sleepers.shift();
        mono = next.at;
        next.resolve();
      }
      mono = target;
      await flush();
    },
    jumpWall(ms) {
      wallOffset += ms;
    },
    pending: () => sleepers.length,
  };
}
