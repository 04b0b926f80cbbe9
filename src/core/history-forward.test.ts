// One home for the state's rules: a daemon that keeps the history in memory and applies each appended record
// ends where a fresh read of the whole log's tail would, wherever the read began (property test), and the
// forward rules themselves, record by record.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTs } from './format.js';
import { advance, emptyLive } from './history-forward.js';
import { historyCollector, type History, type HistoryNeeds } from './history.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const needs: HistoryNeeds = { window: 8, recent: 2, nowMs: NOW, lookbackMs: 3_600_000, maxLatencyMs: 10_000, learn: 'normal' };

// One record kind per arbitrary; times come from the position (a step of 20-60 s), some stamped a day ahead.
const recordArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('check'), ok: fc.boolean(), latency: fc.integer({ min: 1, max: 50 }), out: fc.boolean(), reasons: fc.constantFrom([], ['latency_anomaly_3sigma (score=4.00)'], ['cpu_critical (95.0%)']) }) },
  fc.record({ kind: fc.constantFrom('anomaly_trigger', 'resource_warning', 'heal_start', 'self_heal', 'recovered', 'heal_budget_exhausted', 'heal_resumed', 'alert_sent'), reason: fc.constantFrom('health_unhealthy (HTTP 503)', 'cpu_critical (95.0%)'), flag: fc.boolean() }),
);

function toRecords(items: { kind: string; [k: string]: unknown }[], steps: number[], ahead: boolean[]): object[] {
  let t = NOW - 3_000_000;
  return items.map((it, i) => {
    t += steps[i] ?? 30_000;
    const ts = formatTs(ahead[i] ? t + 86_400_000 : t);
    if (it.kind === 'check') {
      return { ts, lat: { latency_ms: it.latency, ok: it.ok }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null, ...(it.out ? { in_baseline: false } : {}), ...((it.reasons as string[]).length ? { reasons: it.reasons } : {}) };
    }
    const extra: Record<string, unknown> = { anomaly_trigger: { reasons: [it.reason] }, resource_warning: { reasons: [it.reason] }, heal_budget_exhausted: { latched: it.flag }, heal_resumed: { why: 'manual', ...(it.flag ? { rebaseline: true } : {}) }, alert_sent: { key: it.reason, channels: [], ok: true } }[it.kind] ?? {};
    return { event: it.kind, ts, ...(extra as object) };
  });
}

function collect(records: object[]): ReturnType<ReturnType<typeof historyCollector>['live']> {
  const c = historyCollector(needs);
  for (let i = records.length - 1; i >= 0; i--) if (!c.visit(records[i])) break;
  return c.live();
}

// The fields a decision reads; checksSinceHeal only counts while a heal is within the lookback.
function decisive(h: History) {
  return { ...h, checksSinceHeal: h.healTimes.length > 0 ? h.checksSinceHeal : null, incident: h.incident && { ...h.incident, reasons: [...h.incident.reasons].sort() } };
}

describe('the history kept in memory', () => {
  it('equals a fresh read of the whole tail, whatever prefix it started from (property)', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { minLength: 1, maxLength: 80 }),
        fc.array(fc.integer({ min: 20_000, max: 60_000 }), { minLength: 80, maxLength: 80 }),
        fc.array(fc.integer({ min: 0, max: 9 }).map((n) => n === 0), { minLength: 80, maxLength: 80 }),
        fc.nat(),
        (items, steps, ahead, cutSeed) => {
          const records = toRecords(items, steps, ahead);
          const cut = cutSeed % (records.length + 1);
          const live = collect(records.slice(0, cut));
          for (const r of records.slice(cut)) advance(live, r, needs);
          expect(decisive(live.history)).toEqual(decisive(collect(records).history));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('advance: the rules, record by record', () => {
  const at = (msAgo: number) => formatTs(NOW - msAgo);
  it('a heal_start and its self_heal count once, at the self_heal\'s time; a lone heal_start counts', () => {
    const live = emptyLive();
    advance(live, { event: 'heal_start', ts: at(60_000), command: [] }, needs);
    expect(live.history.healTimes).toEqual([NOW - 60_000]);
    advance(live, { event: 'self_heal', ts: at(50_000) }, needs);
    expect(live.history.healTimes).toEqual([NOW - 50_000]);
    advance(live, { event: 'heal_start', ts: at(10_000), command: [] }, needs);
    expect(live.history.healTimes).toEqual([NOW - 10_000, NOW - 50_000]);
  });

  it('a record stamped ahead is lowered to the next record\'s time, and nothing is later than now', () => {
    const live = emptyLive();
    advance(live, { event: 'self_heal', ts: formatTs(NOW + 86_400_000) }, needs);
    expect(live.history.healTimes).toEqual([NOW]);
    advance(live, { ts: at(30_000), lat: { latency_ms: 5, ok: true }, res: {} }, needs);
    expect(live.history.healTimes).toEqual([NOW - 30_000]);
  });

  it('heal-reset --rebaseline empties the window; recovered closes the incident and forgets the alerts sent', () => {
    const live = emptyLive();
    advance(live, { ts: at(90_000), lat: { latency_ms: 5, ok: true }, res: {} }, needs);
    advance(live, { event: 'anomaly_trigger', ts: at(80_000), reasons: ['x (1)'] }, needs);
    advance(live, { event: 'alert_sent', ts: at(80_000), key: 'k' }, needs);
    advance(live, { event: 'heal_resumed', ts: at(70_000), why: 'manual', rebaseline: true }, needs);
    expect(live.history.window).toEqual([]);
    expect(live.history.incident).toMatchObject({ triggered: true, reasons: ['x (1)'] });
    advance(live, { event: 'recovered', ts: at(60_000), cleared: ['x (1)'] }, needs);
    expect([live.history.incident, live.history.alertsSent]).toEqual([null, {}]);
  });
});
