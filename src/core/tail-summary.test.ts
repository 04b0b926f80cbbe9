// The tail summary `status` and /api/status show: what it finds, what it passes over, and how far back it
// reads (only as far as the baseline, the heals of the hour, the latest check and the kinds asked for need).
import { describe, expect, it } from 'vitest';
import { computeBaseline } from './baseline.js';
import { formatTs } from './format.js';
import { tailSummaryCollector, type EventKind, type SummarySettings } from './tail-summary.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const at = (msAgo: number): string => formatTs(NOW - msAgo);
const check = (msAgo: number, latency: number, ok = true) => ({ ts: at(msAgo), lat: { latency_ms: latency, ok }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null });
const heal = (msAgo: number) => ({ event: 'self_heal', ts: at(msAgo), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1, stdout_tail: '', stderr_tail: '' });
const trigger = (msAgo: number) => ({ event: 'anomaly_trigger', ts: at(msAgo), reasons: ['health_unhealthy (HTTP 503)'], latency: 1, score: null, cpu: 1, mem: 1, disk: 1 });
const SETTINGS: SummarySettings = { window: 3, minSamples: 2, minStdevMs: 0, sigma: 3, learn: 'all', maxLatencyMs: 10_000 };

/** Feeds `records` (oldest first, as in the file) newest first, as the backward reader does; says how many it read. */
function summarise(records: object[], events: readonly EventKind[] = [], settings = SETTINGS) {
  const c = tailSummaryCollector(settings, NOW, events);
  let read = 0;
  for (const r of [...records].reverse()) {
    read += 1;
    if (!c.visit(r)) break;
  }
  return { ...c.result(), read };
}

describe('tail summary: what it finds', () => {
  it('the latest check (failed or not), the baseline of the last `window` ok latencies, the heals of the last hour', () => {
    const s = summarise([heal(7_200_000), check(5000, 10), check(4000, 20), heal(3500), check(3000, 30), check(2000, 40), check(1000, 5, false)]);
    expect(s.latestCheck).toEqual(check(1000, 5, false));
    const b = computeBaseline([20, 30, 40], 2);
    expect(s.baseline).toEqual({ n: 3, mean: b.mean, stdev: b.stdev, threshold_ms: (b.mean as number) + 3 * (b.stdev as number) });
    expect(s.healsLastHour).toBe(1);
  });

  it('the newest valid record of each kind asked for, null for one the log does not hold; kinds not asked for are left out', () => {
    const s = summarise([trigger(9000), heal(8000), { ...heal(7000), exit_code: 'x' }, trigger(6000), check(1000, 10)], ['self_heal', 'anomaly_trigger', 'heal_verify']);
    expect(s.last).toEqual({ self_heal: heal(8000), anomaly_trigger: trigger(6000), heal_verify: null });
    expect(s.invalidRecords).toBe(1);
  });

  it('records of no known shape are passed over and counted; an event kind this version does not know is not', () => {
    const s = summarise([check(3000, 10), { ts: at(2500), lat: {} }, { event: 'future_kind', ts: at(2000) }, { hello: 1 }]);
    expect([s.latestCheck, s.invalidRecords]).toEqual([check(3000, 10), 2]);
  });

  it('an empty tail: no check, no baseline, no heals', () => {
    expect(summarise([], ['self_heal'])).toEqual({ latestCheck: null, baseline: { n: 0, mean: null, stdev: null, threshold_ms: null }, last: { self_heal: null }, healsLastHour: 0, invalidRecords: 0, read: 0 });
  });
});

describe('tail summary: how far back it reads', () => {
  // Oldest first: an old heal, then checks every minute for two hours (past the hour's lookback).
  const records = [heal(9_000_000), ...Array.from({ length: 120 }, (_, i) => check((120 - i) * 60_000, 10 + (i % 3)))];

  it.each([
    ['nothing asked: as far as the hour of heals needs (the window is full long before): the first check past it ends the read', [], 61],
    ['a kind that is far back: on until it is found', ['self_heal'], 121],
    ['a kind the log does not hold: to the start', ['heal_verify'], 121],
  ] as const)('%s', (_name, events, read) => {
    expect(summarise(records, events).read).toBe(read);
  });
});
