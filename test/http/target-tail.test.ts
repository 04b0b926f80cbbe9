// An overview row from a target's log tail (issue 12): the state each tail gives, table-driven; the
// bound of the read (a log far larger than TARGET_TAIL_BYTES gives its last latencies, and a trigger
// further back than the bound is not looked for); and the overview read's time budget.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logReader } from '../../src/http/log-reads.js';
import { overviewBody, SPARK_POINTS, type TargetRow, type TargetsBody } from '../../src/http/target-overview.js';
import { readTargetTail, rowFromTail, TARGET_TAIL_BYTES, type TailFacts } from '../../src/http/target-tail.js';
import { check, iso } from './app-fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'ag-target-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = Date.parse('2026-03-01T12:00:00Z');
const t = { target: 'api', logFile: '', maxPerHour: 3, staleMs: 60_000 };
const facts = (f: Partial<TailFacts>): TailFacts => ({ checks: [], incident: null, warningTs: null, healTimes: [], latched: false, ...f });
const ok = (ago: number, ms = 12) => ({ ts: iso(NOW - ago), ms, ok: true });

describe('rowFromTail: the state', () => {
  it.each([
    ['no check yet', facts({}), 'UNKNOWN'],
    ['a recent ok check', facts({ checks: [ok(1000)] }), 'OK'],
    ['the latest probe failed', facts({ checks: [{ ...ok(1000), ok: false }] }), 'CRITICAL'],
    ['a trigger after the latest check', facts({ checks: [ok(1000)], incident: { ts: iso(NOW - 900), reasons: ['x'] } }), 'CRITICAL'],
    ['a trigger before the latest check (recovered since)', facts({ checks: [ok(1000)], incident: { ts: iso(NOW - 5000), reasons: ['x'] } }), 'OK'],
    ['a warning after the latest check', facts({ checks: [ok(1000)], warningTs: iso(NOW - 900) }), 'WARNING'],
    ['the budget latched off', facts({ checks: [ok(1000)], latched: true }), 'HEALING_OFF'],
    ['the hour\'s heals spent', facts({ checks: [ok(1000)], healTimes: [NOW - 1000, NOW - 2000, NOW - 3000] }), 'HEALING_OFF'],
    ['heals older than an hour do not count', facts({ checks: [ok(1000)], healTimes: [NOW - 1000, NOW - 2000, NOW - 3_700_000] }), 'OK'],
    ['no check for longer than two intervals and the cycle timeout', facts({ checks: [ok(61_000)] }), 'UNKNOWN'],
  ] as const)('%s → %s', (_name, f, state) => {
    expect(rowFromTail(t, f, NOW).state).toBe(state);
  });

  it('the sparkline is oldest first with the failed ones marked', () => {
    const row = rowFromTail(t, facts({ checks: [ok(1000, 3), { ...ok(2000, 2), ok: false }, ok(3000, 1)] }), NOW);
    expect([row.latencies, row.failed, row.latency_ms, row.checked_at]).toEqual([[1, 2, 3], [1], 3, iso(NOW - 1000)]);
  });
});

describe('readTargetTail', () => {
  it('reads the last latencies, the budget and the trigger from the end of the log, never past its bound', () => {
    const file = join(dir, 'big.ndjson');
    const old = { event: 'anomaly_trigger', ts: iso(NOW - 7_200_000), reasons: ['old'], latency: 1, score: null, cpu: 1, mem: 1, disk: 1 };
    const filler = Array.from({ length: 5000 }, (_, i) => JSON.stringify(check(NOW - 7_000_000 + i * 1000, 50 + (i % 10))));
    const tail = [check(NOW - 3000, 7), { event: 'self_heal', ts: iso(NOW - 2500), command: ['x'], exit_code: 0 }, { event: 'heal_budget_exhausted', ts: iso(NOW - 2000), latched: true }, check(NOW - 1000, 8)];
    writeFileSync(file, [JSON.stringify(old), ...filler, ...tail.map((r) => JSON.stringify(r))].join('\n') + '\n');
    expect(filler.join('\n').length).toBeGreaterThan(4 * TARGET_TAIL_BYTES);
    const f = readTargetTail(file, NOW);
    expect(f.checks).toHaveLength(SPARK_POINTS);
    expect(f.checks.slice(0, 2).map((c) => c.ms)).toEqual([8, 7]);
    expect(f.latched).toBe(true);
    expect(f.healTimes).toEqual([NOW - 2500]);
    expect(f.incident).toBeNull(); // further back than the bound
    expect(readTargetTail(join(dir, 'none.ndjson'), NOW)).toEqual(facts({}));
  });
});

describe('overviewBody', () => {
  it('sorts the worst first (healing off, critical, warning, no data, ok), then by name, and counts each state', () => {
    const row = (target: string, state: TargetRow['state']): TargetRow => ({ target, state, checked_at: null, latency_ms: null, latencies: [], failed: [], last_incident: null, heals_last_hour: 0, max_per_hour: 6, source: 'log' });
    const body = overviewBody([row('b', 'OK'), row('a', 'OK'), row('x', 'UNKNOWN'), row('w', 'WARNING'), row('c', 'CRITICAL'), row('h', 'HEALING_OFF')], 'now');
    expect(body.targets.map((r) => r.target)).toEqual(['h', 'c', 'w', 'x', 'a', 'b']);
    expect(body.states).toEqual({ HEALING_OFF: 1, CRITICAL: 1, WARNING: 1, UNKNOWN: 1, OK: 2 });
    expect(body.count).toBe(6);
  });
});

describe('the overview read in the worker: a time budget for log reads', () => {
  it('past its budget a target is pending (UNKNOWN), and a later read goes on from what it kept', () => {
    const targets = ['a', 'b'].map((name) => {
      const logFile = join(dir, `budget.${name}.ndjson`);
      writeFileSync(logFile, `${JSON.stringify(check(NOW - 1000, 9, name !== 'a'))}\n`);
      return { target: name, logFile, maxPerHour: 3, staleMs: 60_000 };
    });
    const reader = logReader();
    const req = (budgetMs: number) => ({ kind: 'targets' as const, logFile: join(dir, 'guard.ndjson'), nowMs: NOW, updatedAt: iso(NOW), memory: [], fromLog: targets, budgetMs });
    const states = (body: unknown) => (body as TargetsBody).targets.map((r) => [r.target, r.state, r.source]);
    expect(states(reader.body(req(0)))).toEqual([['a', 'UNKNOWN', 'pending'], ['b', 'UNKNOWN', 'pending']]);
    expect(states(reader.body(req(60_000)))).toEqual([['a', 'CRITICAL', 'log'], ['b', 'OK', 'log']]);
    expect(states(reader.body(req(0)))).toEqual([['a', 'CRITICAL', 'log'], ['b', 'OK', 'log']]); // kept
  });
});
