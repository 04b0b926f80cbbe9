import { describe, expect, it } from 'vitest';
import { parseTs } from '../core/format.js';
import { reasonType, reportStats } from './report-stats.js';

const at = (m: number): string => `2025-10-21T08:${String(m).padStart(2, '0')}:00.000000Z`;
const check = (m: number, ok: boolean, reasons?: string[], score: number | null = null) => ({ ts: at(m), lat: { latency_ms: 10 + m, ok }, res: {}, score, ...(reasons ? { reasons } : {}) });
const feed = (records: Record<string, unknown>[]) => {
  const s = reportStats();
  for (const r of records) s.add(r, r.ts as string, parseTs(r.ts));
  return s.result();
};

describe('reasonType', () => {
  it.each([
    ['latency_anomaly_3sigma (score=3.45)', 'latency_anomaly_3sigma'],
    ['health_unhealthy (timeout after 10000 ms)', 'health_unhealthy'],
    ['manual', 'manual'],
    ['cpu_critical(92%)', 'cpu_critical(92%)'],
  ])('%s → %s', (reason, type) => expect(reasonType(reason)).toBe(type));
});

describe('reportStats: incidents', () => {
  it.each([
    {
      name: 'a seed-format log (no reasons): a failed check opens, a trigger adds, a clean check ends',
      records: [check(0, true), check(5, false), { event: 'anomaly_trigger', ts: at(5), reasons: ['health_unhealthy (HTTP 503)'] }, check(10, true)],
      expected: { total: 1, recovered: 1, mttrMs: 300_000, latest: [{ start: at(5), lastFinding: at(5), end: at(10), durationMs: 0, recoveryMs: 300_000, reasonTypes: ['health_unhealthy'], heals: 0 }] },
    },
    {
      name: 'a `recovered` record ends it; the clean check after finds nothing open',
      records: [check(0, true, ['disk_warning (91.0%)']), { event: 'recovered', ts: at(2), cleared: [] }, check(5, true)],
      expected: { total: 1, recovered: 1, mttrMs: 120_000 },
    },
    {
      name: 'an ok check with a log-only finding keeps it open; heals are counted in it',
      records: [check(0, false), { event: 'self_heal', ts: at(1), exit_code: 0 }, check(5, true, ['cpu_critical (95.0%)']), check(10, true)],
      expected: { total: 1, recovered: 1, mttrMs: 600_000, latest: [{ start: at(0), lastFinding: at(5), end: at(10), durationMs: 300_000, recoveryMs: 600_000, reasonTypes: ['health_unhealthy', 'cpu_critical'], heals: 1 }] },
    },
    {
      name: 'still open at the end: listed, not in the MTTR',
      records: [check(0, true, ['mem_critical (95.0%)'])],
      expected: { total: 1, recovered: 0, mttrMs: null, latest: [{ start: at(0), lastFinding: at(0), end: null, durationMs: 0, recoveryMs: null, reasonTypes: ['mem_critical'], heals: 0 }] },
    },
  ])('$name', ({ records, expected }) => {
    expect(feed(records).incidents).toMatchObject(expected);
  });

  it('keeps the details of the latest incidents only, and totals for all', () => {
    const s = reportStats({ incidents: 2 });
    for (let m = 0; m < 10; m += 2) {
      for (const r of [check(m, false), check(m + 1, true)]) s.add(r, r.ts, parseTs(r.ts));
    }
    const inc = s.result().incidents;
    expect([inc.total, inc.recovered, inc.latest.map((i) => i.start)]).toEqual([5, 5, [at(6), at(8)]]);
  });
});

describe('reportStats: heals and the unhealthy stretch', () => {
  it.each([
    { name: 'exit 0', heal: { exit_code: 0 }, outcome: 'ok' },
    { name: 'exit 1', heal: { exit_code: 1 }, outcome: 'failed' },
    { name: 'could not start', heal: { exit_code: null, error: 'command not found: x' }, outcome: 'failed' },
    { name: 'killed by a signal', heal: { exit_code: null, signal: 'SIGKILL' }, outcome: 'failed' },
    { name: 'timed out', heal: { exit_code: null, timed_out: true }, outcome: 'timedOut' },
    { name: 'aborted', heal: { exit_code: null, timed_out: false, aborted: true }, outcome: 'aborted' },
  ])('a heal that $name is $outcome', ({ heal, outcome }) => {
    const heals = feed([{ event: 'self_heal', ts: at(0), ...heal }]).heals;
    expect(heals).toEqual({ ok: 0, failed: 0, timedOut: 0, aborted: 0, [outcome]: 1 });
  });

  it('reports the longest run of failed checks; one lasting to the end is ongoing', () => {
    const two = feed([check(0, false), check(5, false), check(10, true), check(15, false), check(20, true)]);
    expect(two.longestUnhealthy).toEqual({ start: at(0), end: at(10), durationMs: 600_000, checks: 2, ongoing: false });
    const ongoing = feed([check(0, false), check(5, true), check(10, false), check(15, false), check(20, false)]);
    expect(ongoing.longestUnhealthy).toEqual({ start: at(10), end: at(20), durationMs: 600_000, checks: 3, ongoing: true });
    expect(feed([check(0, true)]).longestUnhealthy).toBeNull();
  });
});
