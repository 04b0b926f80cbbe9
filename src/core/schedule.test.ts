import { describe, expect, it } from 'vitest';
import { planner } from './schedule.js';

describe('planner, interval', () => {
  it('the tick after a tick is one interval later, whatever the start (no tick is due twice)', () => {
    const every = 10_000;
    // Starts whose ticks, computed back, divide to a hair below k in floating point.
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const start = { mono: (i * 7919.123456789) % 9_999_999, wall: 0 };
      const plan = planner({ kind: 'interval', everyMs: every }, start);
      let due = plan.next(start);
      for (let k = 1; k <= 4; k++) {
        const next = plan.next({ mono: due, wall: 0 });
        expect(next - due).toBeCloseTo(every, 6);
        due = next;
        checked += 1;
      }
    }
    expect(checked).toBe(80_000);
  });

  it('between ticks, the next one due is the coming tick', () => {
    const plan = planner({ kind: 'interval', everyMs: 1000 }, { mono: 500, wall: 0 });
    expect(plan.next({ mono: 500, wall: 0 })).toBe(1500);
    expect(plan.next({ mono: 1499.9, wall: 0 })).toBe(1500);
    expect(plan.next({ mono: 1500, wall: 0 })).toBe(2500);
    expect(plan.next({ mono: 4321, wall: 0 })).toBe(4500);
  });
});
