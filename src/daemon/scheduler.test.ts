import { describe, expect, it } from 'vitest';
import { fakeClock } from '../../test/helpers/fake-clock.js';
import type { Schedule } from '../core/schedule.js';
import { runScheduler, type SchedulerNote } from './scheduler.js';

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
