import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/helpers/fake-clock.js';
import type { Schedule } from '../core/schedule.js';
import type { Clock } from '../effects/clock.js';
import { LoopStop, runScheduler, type SchedulerNote } from './scheduler.js';

function harness(schedule: Schedule, cycleMs: (cycle: number) => number) {
  const clock = fakeClock();
  const notes: SchedulerNote[] = [];
  const starts: number[] = [];
  const stop = new AbortController();
  const done = runScheduler(
    {
      schedule: () => schedule,
      clock,
      note: (n) => notes.push(n),
      runCycle: async (cycle) => {
        starts.push(clock.monoMs());
        await clock.sleep(cycleMs(cycle));
        return 'OK';
      },
    },
    stop.signal,
  );
  return { clock, notes, starts, stop, done };
}

describe('runScheduler', () => {
  it('runs the first cycle at start, then every interval from the start: no drift with cycle duration', async () => {
    const h = harness({ kind: 'interval', everyMs: 1000 }, () => 300);
    await h.clock.advance(3500);
    expect(h.starts).toEqual([0, 1000, 2000, 3000]);
    h.stop.abort();
    expect(await h.done).toBe(4);
  });

  it('skips a tick that comes while a cycle still runs, and notes it', async () => {
    const h = harness({ kind: 'interval', everyMs: 1000 }, (c) => (c === 1 ? 2500 : 100));
    await h.clock.advance(3200);
    expect(h.starts).toEqual([0, 3000]);
    const skips = h.notes.filter((n) => n.kind === 'skip');
    expect(skips).toEqual([
      { kind: 'skip', tick: 1, running: 1, runningForMs: 1000 },
      { kind: 'skip', tick: 2, running: 1, runningForMs: 2000 },
    ]);
    h.stop.abort();
    await h.clock.advance(200);
    await h.done;
  });

  it('on stop, finishes the cycle in flight before returning', async () => {
    const h = harness({ kind: 'interval', everyMs: 1000 }, () => 500);
    await h.clock.advance(1100);
    h.stop.abort();
    let finished = false;
    void h.done.then(() => (finished = true));
    await h.clock.advance(100);
    expect(finished).toBe(false);
    await h.clock.advance(400);
    expect(finished).toBe(true);
    expect(h.notes.filter((n) => n.kind === 'cycle-end')).toHaveLength(2);
  });

  it('notes a cycle that throws and goes on', async () => {
    const clock = fakeClock();
    const notes: SchedulerNote[] = [];
    const stop = new AbortController();
    const done = runScheduler(
      { schedule: () => ({ kind: 'interval', everyMs: 1000 }), clock, note: (n) => notes.push(n), runCycle: async (c) => { if (c === 1) throw new Error('log not writable'); return 'OK'; } },
      stop.signal,
    );
    await clock.advance(1000);
    stop.abort();
    await done;
    expect(notes.map((n) => n.kind)).toEqual(['cycle-start', 'cycle-error', 'cycle-start', 'cycle-end']);
    expect(notes[1]).toMatchObject({ error: 'log not writable' });
  });

  it('follows a cron expression on the wall clock', async () => {
    // Start 00:00:00; "*/5 * * * *" fires at 00:05, 00:10 …
    const h = harness({ kind: 'cron', expr: '*/5 * * * *' }, () => 1000);
    await h.clock.advance(11 * 60_000);
    expect(h.starts).toEqual([0, 300_000, 600_000]);
    h.stop.abort();
    await h.done;
  });

  it('counts the ticks from the planned phase when the phase timer fires late, so late-started targets do not clump', async () => {
    // Two targets with phases 200 and 600 ms whose phase timers both fire only at 900 ms (a loop blocked at start):
    // the first cycles run late (lag noted), and from then on each target ticks at its own phase again.
    const clock = fakeClock();
    const late: Clock = { ...clock, sleep: (ms, signal) => clock.sleep(clock.monoMs() === 0 ? 900 : ms, signal) };
    const every: Schedule = { kind: 'interval', everyMs: 1000 };
    const starts = new Map<string, number[]>();
    const lags: number[] = [];
    const stop = new AbortController();
    const loops = [200, 600].map((phaseMs) =>
      runScheduler(
        {
          schedule: () => every,
          clock: late,
          phaseMs,
          note: (n) => void (n.kind === 'cycle-start' && n.cycle === 1 && lags.push(n.lagMs ?? 0)),
          runCycle: async () => {
            starts.set(String(phaseMs), [...(starts.get(String(phaseMs)) ?? []), clock.monoMs()]);
            return 'OK';
          },
        },
        stop.signal,
      ),
    );
    await clock.advance(3000);
    expect(starts.get('200')).toEqual([900, 1200, 2200]);
    expect(starts.get('600')).toEqual([900, 1600, 2600]);
    expect(lags).toEqual([700, 300]);
    stop.abort();
    await Promise.all(loops);
  });

  it('runs the first cycle once when its phase timer fires a hair early', async () => {
    const clock = fakeClock();
    const early: Clock = { ...clock, sleep: (ms, signal) => clock.sleep(clock.monoMs() === 0 ? ms - 0.25 : ms, signal) };
    const starts: number[] = [];
    const stop = new AbortController();
    const every: Schedule = { kind: 'interval', everyMs: 1000 };
    const done = runScheduler({ schedule: () => every, clock: early, phaseMs: 300, note: () => undefined, runCycle: async () => (starts.push(clock.monoMs()), 'OK') }, stop.signal);
    await clock.advance(2500);
    expect(starts).toEqual([299.75, 1300, 2300]);
    stop.abort();
    await done;
  });

  it('a LoopStop ends the wait for the next tick at once, on a clock with a plain timer and on one without', async () => {
    for (const withTimer of [true, false]) {
      const clock = fakeClock();
      // A clock with `after` (as the real one): a timer made of the fake's sleep, cancelled by its own controller.
      const timed: Clock = withTimer
        ? {
            ...clock,
            after: (ms, fn) => {
              const c = new AbortController();
              clock.sleep(ms, c.signal).then(fn, () => undefined);
              return () => c.abort();
            },
          }
        : clock;
      const every: Schedule = { kind: 'interval', everyMs: 1000 };
      const starts: number[] = [];
      const stop = new LoopStop();
      let finished = false;
      const done = runScheduler({ schedule: () => every, clock: timed, phaseMs: 250, note: () => undefined, runCycle: async () => (starts.push(clock.monoMs()), 'OK') }, stop).then((n) => {
        finished = true;
        return n;
      });
      await clock.advance(2500);
      stop.abort('removed by a reload');
      await clock.advance(0);
      expect(finished).toBe(true);
      expect(await done).toBe(3);
      expect(starts).toEqual([250, 1250, 2250]);
      expect(clock.pending()).toBe(0); // the tick it waited for left no timer behind
    }
  });

  it('a LoopStop stopped before the phase ends runs no cycle', async () => {
    const clock = fakeClock();
    const stop = new LoopStop();
    const starts: number[] = [];
    const done = runScheduler({ schedule: () => ({ kind: 'interval', everyMs: 1000 }), clock, phaseMs: 500, note: () => undefined, runCycle: async () => (starts.push(clock.monoMs()), 'OK') }, stop);
    await clock.advance(100);
    stop.abort();
    await clock.advance(1000);
    expect(await done).toBe(0);
    expect(starts).toEqual([]);
  });

  it('keeps the interval cadence when the wall clock jumps back an hour', async () => {
    const h = harness({ kind: 'interval', everyMs: 1000 }, () => 10);
    await h.clock.advance(1500);
    h.clock.jumpWall(-3_600_000);
    await h.clock.advance(2000);
    expect(h.starts).toEqual([0, 1000, 2000, 3000]);
    h.stop.abort();
    await h.done;
  });
});
