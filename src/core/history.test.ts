// The history rebuilt from the log's tail: what enters the baseline, the open incident, times that cannot be
// trusted (stamped ahead of the records after them, or of now), and the previous CPU reading.
import { describe, expect, it } from 'vitest';
import { formatTs } from './format.js';
import { historyCollector, type HistoryNeeds } from './history.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const at = (msAgo: number): string => formatTs(NOW - msAgo);
const check = (msAgo: number, latency: number, more: Record<string, unknown> = {}) => ({ ts: at(msAgo), lat: { latency_ms: latency, ok: true }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null, ...more });
const failed = (msAgo: number) => ({ ts: at(msAgo), lat: { latency_ms: 5, ok: false }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null });
const heal = (msAgo: number) => ({ event: 'self_heal', ts: at(msAgo), command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1, stdout_tail: '', stderr_tail: '' });
const trigger = (msAgo: number, reasons: string[]) => ({ event: 'anomaly_trigger', ts: at(msAgo), reasons, latency: 1, score: null, cpu: 1, mem: 1, disk: 1 });
const warning = (msAgo: number, reasons: string[]) => ({ event: 'resource_warning', ts: at(msAgo), reasons, cpu: 1, mem: 1, disk: 1 });

/** Feeds `records` (oldest first, as in the file) newest first, as the backward reader does. */
function collect(records: object[], needs: Partial<HistoryNeeds> = {}) {
  const c = historyCollector({ window: 50, recent: 2, nowMs: NOW, lookbackMs: 3_600_000, ...needs });
  for (const r of [...records].reverse()) if (!c.visit(r)) break;
  return c.result();
}

describe('history: the latency window', () => {
  it('keeps ok latencies oldest first, skipping failed probes and latencies no probe could have measured', () => {
    const h = collect([check(50_000, 10), failed(40_000), check(30_000, 1e308), check(20_000, -1), check(10_000, 12)], { maxLatencyMs: 11_000 });
    expect(h.window).toEqual([10, 12]);
  });

  it('learn: normal leaves out checks marked in_baseline false; learn: all (the seed) keeps every ok latency', () => {
    const records = [check(30_000, 10), check(20_000, 900, { in_baseline: false }), check(10_000, 11)];
    expect(collect(records, { learn: 'normal' }).window).toEqual([10, 11]);
    expect(collect(records, { learn: 'all' }).window).toEqual([10, 900, 11]);
  });

  it('does not reach back past heal-reset --rebaseline, however far back it is', () => {
    const records = [check(7_200_000, 10), { event: 'heal_resumed', ts: at(7_100_000), why: 'manual', rebaseline: true }, check(7_000_000, 50), check(10_000, 51)];
    expect(collect(records).window).toEqual([50, 51]);
  });
});

describe('history: the open incident', () => {
  it('names every reason type it saw, with its newest text, not only the newest record\'s', () => {
    const h = collect([check(40_000, 1), trigger(30_000, ['health_unhealthy (timeout after 10000 ms)', 'cpu_critical (95.0%)']), trigger(20_000, ['cpu_critical (96.0%)']), warning(10_000, ['disk_warning (93.0%)'])]);
    expect(h.incident).toMatchObject({ startTs: NOW - 30_000, triggered: true });
    expect([...(h.incident?.reasons ?? [])].sort()).toEqual(['cpu_critical (96.0%)', 'disk_warning (93.0%)', 'health_unhealthy (timeout after 10000 ms)']);
  });

  it('is only a warning incident (not triggered) without an anomaly_trigger, and closed by recovered', () => {
    expect(collect([warning(10_000, ['disk_warning (93.0%)'])]).incident?.triggered).toBe(false);
    expect(collect([trigger(20_000, ['x (1)']), { event: 'recovered', ts: at(10_000), cleared: ['x (1)'], duration_ms: 1 }]).incident).toBeNull();
  });
});

describe('history: times stamped ahead (the clock was ahead, then corrected)', () => {
  it('a heal stamped a day ahead counts as no later than the record after it', () => {
    const h = collect([check(600_000, 10), heal(-86_400_000), check(300_000, 11)]);
    expect(h.healTimes).toEqual([NOW - 300_000]);
  });

  it('a heal stamped ahead that is the newest record counts as now, never later', () => {
    const h = collect([check(600_000, 10), heal(-86_400_000)]);
    expect(h.healTimes).toEqual([NOW]);
    expect(h.newestTs).toBe(NOW + 86_400_000); // as stamped, to tell that the clock went back
  });

  it('six heals stamped ahead, then hours of checks: they fall out of the hour like any other', () => {
    const ahead = Array.from({ length: 6 }, () => heal(-86_400_000));
    const h = collect([check(7_300_000, 10), ...ahead, check(7_200_000, 10), ...Array.from({ length: 10 }, (_, i) => check(3_600_000 - i * 60_000, 10))]);
    expect(h.healTimes).toEqual([]);
  });
});

describe('history: the previous CPU reading (cpu_over: interval)', () => {
  it('is the newest check record\'s cpu_ticks and its time', () => {
    const ticks = { busy: 100, total: 1000, btime: 1761035700 };
    const h = collect([check(600_000, 10, { res: { cpu: 1, mem: 1, disk: 1, cpu_ticks: { busy: 1, total: 2, btime: 1 } } }), check(300_000, 10, { res: { cpu: 1, mem: 1, disk: 1, cpu_ticks: ticks } })]);
    expect(h.lastCpu).toEqual({ ticks, atMs: NOW - 300_000 });
  });

  it('is none when the newest check kept no reading (the seed profile), even if an older one did', () => {
    const h = collect([check(600_000, 10, { res: { cpu: 1, mem: 1, disk: 1, cpu_ticks: { busy: 1, total: 2, btime: null } } }), check(300_000, 10)]);
    expect(h.lastCpu).toBeNull();
  });
});
