import { describe, expect, it } from 'vitest';
import { loopMemory, routineSummary, SUMMARY_EVERY_MS } from './routine-summary.js';

describe('routineSummary', () => {
  it('counts starts, OK ends and skipped ticks into one line a minute; a finding, an error or a heal keeps its own line', () => {
    let mono = 0;
    const lines: string[] = [];
    const s = routineSummary({ monoMs: () => mono }, { info: (l) => lines.push(l) });
    const a = loopMemory();
    expect(s.absorb({ kind: 'cycle-start', cycle: 1, lagMs: 3 }, a)).toBe(true);
    expect(s.absorb({ kind: 'cycle-end', cycle: 1, durationMs: 5, outcome: 'OK' }, a)).toBe(true);
    expect(s.absorb({ kind: 'cycle-end', cycle: 2, durationMs: 5, outcome: 'CRITICAL health_unhealthy (HTTP 503)' }, a)).toBe(false);
    expect(s.absorb({ kind: 'skip', tick: 3, running: 2, runningForMs: 900 }, a)).toBe(true);
    expect(s.absorb({ kind: 'cycle-error', cycle: 4, durationMs: 1, error: 'boom' }, a)).toBe(false);
    expect(lines).toEqual([]);
    mono = SUMMARY_EVERY_MS;
    expect(s.absorb({ kind: 'cycle-start', cycle: 2, lagMs: 41.6 }, a)).toBe(true);
    expect(lines).toEqual(['targets: 2 cycles started and 1 ended OK in the last 60 s, latest start 42 ms after its time; 1 tick skipped (cycle still running)']);
  });

  it('a target repeating the finding of its previous cycle is counted; a new finding, a heal or a change back gets a line', () => {
    let mono = 0;
    const lines: string[] = [];
    const s = routineSummary({ monoMs: () => mono }, { info: (l) => lines.push(l) });
    const a = loopMemory();
    const b = loopMemory();
    const end = (outcome: string, loop = a) => s.absorb({ kind: 'cycle-end', cycle: 1, durationMs: 5, outcome }, loop);
    expect(end('WARNING cpu_critical (93.2%)')).toBe(false); // the first: its own line
    expect(end('WARNING cpu_critical (97.0%)')).toBe(true); // the same, other figures
    expect(end('WARNING cpu_critical (97.0%)', b)).toBe(false); // another target's first
    expect(end('WARNING cpu_critical (95.5%), mem_warning (91.0%)')).toBe(false); // a new finding
    expect(end('WARNING cpu_critical (95.5%), mem_warning (91.0%)')).toBe(true);
    expect(end('CRITICAL health_unhealthy (HTTP 503); heal exit 0; verify recovered')).toBe(false); // a heal: never routine
    expect(end('CRITICAL health_unhealthy (HTTP 503); heal exit 0; verify recovered')).toBe(false);
    expect(end('OK')).toBe(true);
    expect(end('WARNING cpu_critical (90.1%)')).toBe(false); // back after an OK: a line again
    expect(s.absorb({ kind: 'cycle-error', cycle: 9, durationMs: 1, error: 'boom' }, a)).toBe(false);
    expect(end('WARNING cpu_critical (90.1%)')).toBe(false); // after an error: a line again
    mono = SUMMARY_EVERY_MS;
    expect(s.absorb({ kind: 'cycle-start', cycle: 3, lagMs: 0 }, a)).toBe(true);
    expect(lines).toEqual(['targets: 1 cycles started and 1 ended OK (and 2 with the same finding as their previous cycle) in the last 60 s, latest start 0 ms after its time']);
  });

  it('at the stop, what was counted since the last line is written; nothing counted, no line', () => {
    let mono = 0;
    const lines: string[] = [];
    const s = routineSummary({ monoMs: () => mono }, { info: (l) => lines.push(l) });
    s.final();
    expect(lines).toEqual([]);
    s.absorb({ kind: 'cycle-start', cycle: 1, lagMs: 2 }, loopMemory());
    mono = 12_400;
    s.final();
    expect(lines).toEqual(['targets: 1 cycles started and 0 ended OK in the last 12 s, latest start 2 ms after its time']);
  });
});
