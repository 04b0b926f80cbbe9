import { describe, expect, it } from 'vitest';
import { routineSummary, SUMMARY_EVERY_MS } from './routine-summary.js';

describe('routineSummary', () => {
  it('counts starts and OK ends into one line a minute; a finding, an error or a skip keeps its own line', () => {
    let mono = 0;
    const lines: string[] = [];
    const s = routineSummary({ monoMs: () => mono }, { info: (l) => lines.push(l) });
    expect(s.absorb({ kind: 'cycle-start', cycle: 1, lagMs: 3 })).toBe(true);
    expect(s.absorb({ kind: 'cycle-end', cycle: 1, durationMs: 5, outcome: 'OK' })).toBe(true);
    expect(s.absorb({ kind: 'cycle-end', cycle: 2, durationMs: 5, outcome: 'CRITICAL health_unhealthy (HTTP 503)' })).toBe(false);
    expect(s.absorb({ kind: 'skip', tick: 3, running: 2, runningForMs: 900 })).toBe(false);
    expect(s.absorb({ kind: 'cycle-error', cycle: 4, durationMs: 1, error: 'boom' })).toBe(false);
    expect(lines).toEqual([]);
    mono = SUMMARY_EVERY_MS;
    expect(s.absorb({ kind: 'cycle-start', cycle: 2, lagMs: 41.6 })).toBe(true);
    expect(lines).toEqual(['targets: 2 cycles started and 1 ended OK in the last 60 s, latest start 42 ms after its time']);
  });
});
