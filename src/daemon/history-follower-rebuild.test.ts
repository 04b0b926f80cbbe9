// The daemon's rebuild skims the check lines older than what the window and the recent reasons take (only their
// time and that they are checks count): the history it rebuilds must be the one a full parse of every line gives,
// whatever the log holds. Generated logs: checks and every event kind, triggers and heals, a clock that went back,
// hand-edited and foreign lines, torn lines, a rotated `.1` or `.1.gz`, logs younger or older than the lookback.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTs } from '../core/format.js';
import { advance } from '../core/history-forward.js';
import { historyCollector, type HistoryNeeds } from '../core/history.js';
import { readTailThroughRotation } from '../log/file-log.js';
import { historyFollower } from './history-follower.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const root = mkdtempSync(join(tmpdir(), 'ag-rebuild-prop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let runs = 0;

// The reference: every line parsed, as the rebuild read before it skimmed.
function fullParse(path: string, needs: HistoryNeeds) {
  const collector = historyCollector(needs);
  const stats = readTailThroughRotation(path, collector.visit);
  return { live: collector.live(), skipped: stats.skipped };
}

const ts = (msAgo: number): string => formatTs(NOW - msAgo);
const checkOf = (at: string, o: { latency: number; ok: boolean; extra: Record<string, unknown> }) => ({
  ts: at,
  lat: { latency_ms: o.latency, ok: o.ok },
  res: { cpu: 1.5, mem: 2, disk: null },
  score: null,
  mean: 3.25,
  stdev: null,
  ...o.extra,
});

// Fields a check may carry, valid or hand-edited into a wrong type (then it is a foreign line, not a check).
const checkExtra = fc.oneof(
  { weight: 6, arbitrary: fc.constant({}) },
  fc.constant({ in_baseline: false }),
  fc.constant({ stalled_ms: 120 }),
  fc.constant({ reasons: ['latency: slow', 'cpu: 93%'] }),
  fc.constant({ reasons: [] }),
  fc.constant({ res: { cpu: 1, mem: 2, disk: 3, cpu_ticks: { busy: 10, total: 100, btime: null }, service: { name: 's', cpu: 1, mem: null, usage_us: 5, cpus: 2, source: 'cgroup' } } }),
  fc.constant({ target: 'web', detector: { name: 'mad', score: 1.5, anomaly: false }, note: { deep: [1, { a: null }], s: 'x' } }),
  fc.constant({ lat: { latency_ms: 3, ok: true, http_status: null, error: null, reprobes: [{ latency_ms: 1, ok: true }] } }),
  fc.constant({ score: '1' }),
  fc.constant({ lat: { latency_ms: '3', ok: true } }),
  fc.constant({ lat: { latency_ms: 3, ok: 'true' } }),
  fc.constant({ lat: null }),
  fc.constant({ res: { cpu: 1, mem: 2, disk: 3, cpu_ticks: null } }),
  fc.constant({ reasons: ['a', 2] }),
  fc.constant({ mean: undefined }),
  fc.constant({ event: null }),
);

// One line of the log at `msAgo`, as written or edited by hand.
const lineAt = (msAgo: number) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ latency: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.constantFrom(-1, 1e308, 0.1)), ok: fc.boolean(), extra: checkExtra }).map((o) => JSON.stringify(checkOf(ts(msAgo), o))) },
    fc.constantFrom(
      { event: 'self_heal', command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 5, stdout_tail: '', stderr_tail: '' },
      { event: 'heal_start', command: ['x'] },
      { event: 'heal_resumed', why: 'healthy', rebaseline: true },
      { event: 'heal_resumed', why: 'healthy' },
      { event: 'heal_budget_exhausted', heals_last_hour: 3, max_per_hour: 3, latched: true },
      { event: 'anomaly_trigger', reasons: ['latency: slow'], latency: 900, score: 4, cpu: null, mem: null, disk: null },
      { event: 'resource_warning', reasons: ['cpu: 95%'], cpu: 95, mem: null, disk: null },
      { event: 'recovered', cleared: ['latency'], duration_ms: 1000 },
      { event: 'alert_sent', key: 'latency', channels: ['webhook'], ok: true },
      { event: 'some_future_event' },
    ).map((e) => JSON.stringify({ ...e, ts: ts(msAgo) })),
    fc.constantFrom(
      (l: string) => l.replace('"lat":', '"lat": '), // a space: JSON.parse reads it
      (l: string) => l.replace('"lat":', '"l\\u0061t":'), // an escaped key
      (l: string) => l.replace('"ts":"2', '"ts":"\\u0032'), // an escaped ts
      (l: string) => `${l}\r`,
      (l: string) => `  ${l} `,
      (l: string) => `\uFEFF${l}`,
      (l: string) => `${l.slice(0, -1)},"lat":{"latency_ms":"x","ok":true}}`, // lat twice: JSON.parse keeps the last
      (l: string) => `${l.slice(0, -1)},"ts":"yesterday"}`,
      (l: string) => `${l.slice(0, -1)},"score":2}`,
      (l: string) => l.replace(/"ts":"[^"]*"/, '"ts":"2026-12-04T11:50:00+00:00"'),
      (l: string) => l.replace(/"ts":"([^"]*)\.\d+Z"/, '"ts":"$1Z"'),
      (l: string) => l.replace(/"ts":"[^"]*"/, '"ts":"2026-12-04T11:5é:00.000001Z"'),
      (l: string) => l.slice(0, Math.floor(l.length / 2)), // torn
      () => 'not json at all',
      () => '[1,2,3]',
      () => '{"ts":"2026-12-04T11:59:00.000000Z","hello":"world"}',
      () => '',
    ).map((edit) => edit(JSON.stringify(checkOf(ts(msAgo), { latency: 7, ok: true, extra: {} })))),
  );

// A log: lines stepping back in time from now (now and then the clock went back: a step the other way).
const logLines = fc
  .tuple(fc.integer({ min: 1_000, max: 60_000 }), fc.integer({ min: 0, max: 260 }))
  .chain(([step, n]) => fc.array(fc.integer({ min: -3, max: 20 }), { minLength: n, maxLength: n }).map((jitter) => ({ step, jitter })))
  .chain(({ step, jitter }) => {
    let ago = 0;
    const times = jitter.map((j) => (ago += j < 0 ? -step * 2 : step));
    return times.length === 0 ? fc.constant([] as string[]) : fc.tuple(...times.reverse().map((msAgo) => lineAt(msAgo)));
  });

const needsArb = fc.record({
  window: fc.integer({ min: 1, max: 12 }),
  recent: fc.integer({ min: 0, max: 4 }),
  nowMs: fc.constant(NOW),
  lookbackMs: fc.constantFrom(30_000, 600_000, 3_600_000, 86_400_000),
  maxLatencyMs: fc.option(fc.constant(1000), { nil: undefined }),
  learn: fc.constantFrom('all' as const, 'normal' as const),
});

const layout = fc.record({ rotated: fc.constantFrom('none', 'plain', 'gzip'), split: fc.double({ min: 0, max: 1, noNaN: true }), tornEnd: fc.boolean() });

function writeLog(lines: readonly string[], how: { rotated: string; split: number; tornEnd: boolean }): string {
  const path = join(root, `run-${runs++}`, 'guard.ndjson');
  mkdirSync(join(path, '..')); // a fresh folder per run: its listing is its own
  const cut = how.rotated === 'none' ? 0 : Math.floor(lines.length * how.split);
  const text = (ls: readonly string[]): string => ls.map((l) => `${l}\n`).join('');
  if (how.rotated === 'plain') writeFileSync(`${path}.1`, text(lines.slice(0, cut)));
  if (how.rotated === 'gzip') writeFileSync(`${path}.1.gz`, gzipSync(text(lines.slice(0, cut))));
  const live = text(lines.slice(cut));
  writeFileSync(path, how.tornEnd && live.length > 1 ? live.slice(0, -1) : live);
  return path;
}

describe('the rebuild that skims old check lines', () => {
  it('rebuilds the history a full parse gives, and goes on from it alike', () => {
    fc.assert(
      fc.property(logLines, needsArb, layout, (lines, needs, how) => {
        const path = writeLog(lines, how);
        const follower = historyFollower(path);
        const got = follower.read(needs);
        follower.close();
        const want = fullParse(path, needs);
        expect(got.skipped).toBe(want.skipped);
        expect(got.history).toEqual(want.live.history);
        // What the state keeps beyond the history (a heal_start waiting, the incident's last time) shows in the next records.
        const next = [{ event: 'self_heal', ts: ts(0), command: ['x'], exit_code: 0 }, JSON.parse(JSON.stringify(checkOf(ts(0), { latency: 5, ok: true, extra: {} })))];
        const again = historyFollower(path);
        const after = again.read(needs, next).history;
        again.close();
        for (const r of next) advance(want.live, r, needs);
        expect(after).toEqual(want.live.history);
      }),
      { numRuns: 300 },
    );
  });
});
