// The daemon's probe slots: at most the cap in flight, waiters served in turn, a wait counted, an aborted wait
// leaving the queue, a larger cap on reload serving the waiters at once.
import { describe, expect, it } from 'vitest';
import { probeSlots } from './probe-slots.js';

function clockAt(): { monoMs(): number; set(ms: number): void } {
  let now = 0;
  return { monoMs: () => now, set: (ms) => void (now = ms) };
}

describe('probeSlots', () => {
  it('grants the cap at once, then serves waiters in turn as slots come back; waits are counted', async () => {
    const clock = clockAt();
    const slots = probeSlots(2, clock);
    const a = await slots.acquire();
    const b = await slots.acquire();
    expect([a.waitedMs, b.waitedMs]).toEqual([0, 0]);
    const order: string[] = [];
    const c = slots.acquire().then((s) => (order.push('c'), s));
    const d = slots.acquire().then((s) => (order.push('d'), s));
    expect(slots.stats()).toMatchObject({ inFlight: 2, waiting: 2, waits: 0 });
    clock.set(40);
    a.release();
    a.release(); // a second release gives nothing back
    const cSlot = await c;
    expect(order).toEqual(['c']);
    expect(cSlot.waitedMs).toBe(40);
    expect(slots.stats()).toMatchObject({ inFlight: 2, waiting: 1, waits: 1, waitedMs: 40 });
    b.release();
    await d;
    expect(order).toEqual(['c', 'd']);
    expect(slots.stats()).toMatchObject({ inFlight: 2, waiting: 0, waits: 2 });
  });

  it('a wait aborted leaves the queue and takes no slot', async () => {
    const slots = probeSlots(1, clockAt());
    const held = await slots.acquire();
    const stop = new AbortController();
    const waiting = slots.acquire(stop.signal);
    stop.abort(new Error('cycle timeout'));
    await expect(waiting).rejects.toThrow('cycle timeout');
    expect(slots.stats()).toMatchObject({ inFlight: 1, waiting: 0 });
    held.release();
    expect(slots.stats().inFlight).toBe(0);
  });

  it('a larger cap (a reload) serves the waiters at once', async () => {
    const slots = probeSlots(1, clockAt());
    await slots.acquire();
    const waiting = slots.acquire();
    slots.setMax(2);
    await waiting;
    expect(slots.stats()).toMatchObject({ inFlight: 2, waiting: 0, max: 2 });
  });

  it('suspect probes take at most half the slots: a healthy target\'s probe gets one at once while suspects wait', async () => {
    const slots = probeSlots(4, clockAt());
    const s1 = await slots.acquire(undefined, true);
    const s2 = await slots.acquire(undefined, true);
    let third = false;
    const s3 = slots.acquire(undefined, true).then((s) => ((third = true), s));
    await Promise.resolve();
    expect(third).toBe(false); // half of 4 taken by suspects: the third waits
    expect(slots.stats()).toMatchObject({ inFlight: 2, suspectInFlight: 2, waiting: 1 });
    const h1 = await slots.acquire();
    const h2 = await slots.acquire();
    expect([h1.waitedMs, h2.waitedMs]).toEqual([0, 0]);
    expect(slots.stats()).toMatchObject({ inFlight: 4, suspectInFlight: 2 });
    h1.release(); // a free slot, but the suspects' half is full: the third suspect still waits
    await Promise.resolve();
    expect(third).toBe(false);
    s1.release();
    await s3;
    expect(slots.stats()).toMatchObject({ inFlight: 3, suspectInFlight: 2, waiting: 0 });
    s2.release();
  });

  it('a waiting healthy probe goes before a waiting suspect one', async () => {
    const slots = probeSlots(2, clockAt());
    const a = await slots.acquire();
    const b = await slots.acquire();
    const order: string[] = [];
    const suspect = slots.acquire(undefined, true).then((s) => (order.push('suspect'), s));
    const healthy = slots.acquire().then((s) => (order.push('healthy'), s));
    a.release();
    await healthy;
    expect(order).toEqual(['healthy']);
    b.release();
    await suspect;
    expect(order).toEqual(['healthy', 'suspect']);
  });
});
