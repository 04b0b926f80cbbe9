// The dashboard's pure parts in Node: the chart's columns and markers, the SSE parser, the wording.
import { describe, expect, it } from 'vitest';
import { chartData, incidentSpans, runsOf } from '../../src/http/dashboard/chart-data.js';
import { timeLabels } from '../../src/http/dashboard/time-axis.js';
import { describeEvent } from '../../src/http/dashboard/describe-event.js';
import { formatDuration, formatLatency } from '../../src/http/dashboard/format.js';
import { readEvents, type StreamEvent } from '../../src/http/dashboard/live.js';
import type { SeriesResponse } from '../../src/http/dashboard/api-types.js';
import { validRecords, wrongTypeRecords } from '../helpers/record-samples.js';

const point = (ts: string, latency_ms: number, ok = true, mean: number | null = 40, stdev: number | null = 2) => ({ ts, latency_ms, ok, score: null, mean, stdev, cpu: 1, mem: 2, disk: 3 });

describe('chartData', () => {
  const series: SeriesResponse = {
    range: '1h',
    from: '2026-01-01T00:00:00.000000Z',
    to: '2026-01-01T00:00:03.000000Z',
    points: [point('2026-01-01T00:00:00.000000Z', 40, true, null, null), point('2026-01-01T00:00:01.000000Z', 41), point('2026-01-01T00:00:02.000000Z', 900, false), point('2026-01-01T00:00:03.000000Z', 200)],
    triggers: [{ ts: '2026-01-01T00:00:02.050000Z', reasons: ['health_unhealthy (HTTP 503)'] }, { ts: '2026-01-01T00:00:03.040000Z', reasons: ['latency_anomaly_3sigma (score=80.00)'] }, { ts: 'not a time', reasons: [] }],
    recoveries: [],
    sigma: 3,
    downsampled: false,
    skipped_lines: 0,
  };
  it('builds the band and the latency of ok probes; failed probes become a run in the marker row, triggers marks of their own', () => {
    const d = chartData(series);
    expect(d).toMatchObject({ points: 4, markers: 2, failed: 1 });
    expect(d.columns[0]).toEqual([1767225600, 1767225601, 1767225602, 1767225603]);
    expect(d.columns[1]).toEqual([null, 46, 46, 46]); // mean + 3 sigma
    expect(d.columns[2]).toEqual([null, 34, 34, 34]);
    expect(d.columns[4]).toEqual([40, 41, null, 200]); // the failed probe's 900 ms is no latency
    expect(d.columns).toHaveLength(5);
    expect(d.failedRuns).toEqual([{ from: 1767225602, to: 1767225602 }]);
    expect(d.triggers).toEqual([1767225602.05, 1767225603.04]);
    expect(d.incidents).toEqual([{ from: 1767225602, to: null }]); // from the failed check, still open
  });
  it('on a log scale, values at or below 0 are left out (the lower band edge)', () => {
    const low = { ...series, points: series.points.map((p) => ({ ...p, stdev: p.stdev === null ? null : 20 })) };
    expect(chartData(low, true).columns[2]).toEqual([null, null, null, null]);
    expect(chartData(low, false).columns[2]).toEqual([null, -20, -20, -20]);
  });
});

describe('runsOf', () => {
  it('joins consecutive failed checks; a gap of more than three usual steps starts a new run', () => {
    const xs = [0, 10, 20, 30, 40, 100, 110, 120];
    expect(runsOf(xs, [false, true, true, false, true, true, true, false])).toEqual([{ from: 10, to: 20 }, { from: 40, to: 40 }, { from: 100, to: 110 }]);
  });
});

describe('incidentSpans', () => {
  const p = (ok: boolean, score: number | null = null) => ({ ...point('2026-01-01T00:00:00Z', 40, ok), score });
  const spans = (checks: [number, boolean, number?][], triggers: number[], recoveries: number[]) =>
    incidentSpans(checks.map(([, ok, score]) => p(ok, score ?? null)), checks.map(([t]) => t), 3, triggers, recoveries, 0);
  it.each([
    ['a failed check, its trigger, a recovery: one span from the check', [[10, true], [20, false], [30, false], [40, true]], [30], [45], [{ from: 20, to: 45 }]],
    ['an anomalous score opens it like a failure', [[10, true], [20, true, 5], [30, true]], [20], [31], [{ from: 20, to: 31 }]],
    ['a failed check without a trigger before the next good one is no incident', [[10, false], [20, true], [30, false], [40, true]], [30], [40], [{ from: 30, to: 40 }]],
    ['heal_verify then recovered: the first ends it', [[10, false]], [10], [12, 20], [{ from: 10, to: 12 }]],
    ['a recovery first: an incident from before the range', [[10, false], [20, true]], [], [15], [{ from: 0, to: 15 }]],
    ['still open at the end', [[10, true], [20, true, 9]], [20], [], [{ from: 20, to: null }]],
    ['two incidents', [[10, false], [20, true], [30, false], [40, true]], [10, 30], [20, 40], [{ from: 10, to: 20 }, { from: 30, to: 40 }]],
  ] as const)('%s', (_name, checks, triggers, recoveries, want) => {
    expect(spans(checks as unknown as [number, boolean, number?][], [...triggers], [...recoveries])).toEqual(want);
  });
});

describe('timeLabels', () => {
  const start = new Date(2026, 2, 1, 10, 0, 0).getTime() / 1000; // local time, as the page draws
  const ticks = (n: number, incr: number) => Array.from({ length: n }, (_, i) => start + i * incr);
  it.each([
    ['seconds', 5, ['10:00:00\nMar 1', '10:00:05', '10:00:10']],
    ['minutes', 300, ['10:00\nMar 1', '10:05', '10:10']],
    ['days', 86_400, ['Mar 1', 'Mar 2', 'Mar 3']],
  ] as const)('%s: as precise as the step, the date on the first', (_name, incr, want) => {
    expect(timeLabels(ticks(3, incr), incr)).toEqual(want);
  });
  it('12-hour steps over days would repeat the time of day: every label carries its date', () => {
    expect(timeLabels(ticks(4, 43_200), 43_200)).toEqual(['Mar 1 10:00', 'Mar 1 22:00', 'Mar 2 10:00', 'Mar 2 22:00']);
  });
});

describe('readEvents (server-sent events over fetch)', () => {
  it('parses events split across chunks, skips comments, joins data lines', async () => {
    const chunks = ['retry: 5000\n: connected\n\n', 'event: cyc', 'le\ndata: {"verdict":"OK"}\n\n: ping\n\n', 'data: a\r\ndata: b\r\n\r\n'];
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (const chunk of chunks) c.enqueue(new TextEncoder().encode(chunk));
        c.close();
      },
    });
    const got: StreamEvent[] = [];
    await readEvents(body, (ev) => got.push(ev));
    expect(got).toEqual([{ event: 'cycle', data: '{"verdict":"OK"}' }, { event: 'message', data: 'a\nb' }]);
  });
});

describe('wording', () => {
  it.each([
    [850, '850 ms'],
    [1240, '1.24 s'],
    [42_000, '42.0 s'],
    [125_000, '2m 5s'],
    [7_500_000, '2h 5m'],
    [90_000_000, '1d 1h'],
  ])('formatDuration(%d) = %s', (ms, want) => expect(formatDuration(ms)).toBe(want));
  it('formatLatency switches to seconds past 1000 ms', () => expect([formatLatency(4.5), formatLatency(45.25), formatLatency(2500)]).toEqual(['4.50 ms', '45.3 ms', '2.50 s']));
  it.each([
    [{ event: 'self_heal', ts: 't', command: [], exit_code: null, signal: 'SIGKILL', timed_out: true, duration_ms: 60_000, stdout_tail: '', stderr_tail: '' }, 'Heal', 'timed out after 1m 0s'],
    [{ event: 'self_heal', ts: 't', command: [], exit_code: null, signal: null, timed_out: false, duration_ms: 3, stdout_tail: '', stderr_tail: '', error: 'ENOENT' }, 'Heal', 'could not start: ENOENT'],
    [{ event: 'heal_suppressed', ts: 't', why: 'rate_limit', detail: '6 heals in the last hour' }, 'Heal suppressed', 'rate_limit: 6 heals in the last hour'],
    [{ event: 'heal_verify', ts: 't', recovered: false, latency_ms: 2000, error: 'HTTP 503' }, 'Verify', 'still failing: HTTP 503 (2.00 s)'],
    [{ event: 'cycle_timeout', ts: 't', timeout_ms: 60_000 }, 'Cycle timeout', 'cycle aborted after 1m 0s'],
    [{ event: 'heal_start', ts: 't', command: ['systemctl', 'restart', 'x'.repeat(200)] }, 'Heal started', `systemctl restart ${'x'.repeat(81)}…`],
    [{ event: 'something_new', ts: 't', n: 1 }, 'something_new', '{"n":1}'],
  ] as const)('describeEvent %#', (rec, label, detail) => expect(describeEvent(rec)).toMatchObject({ label, detail }));
});

describe('describeEvent on records whose fields have the wrong types (they broke the events table)', () => {
  const ts = '2026-01-31T08:00:00.000000Z';
  it.each([
    ['reasons a string', { event: 'anomaly_trigger', ts, reasons: 'x', latency: 1, score: null, cpu: 1, mem: 1, disk: 1 }, 'anomaly_trigger', 'invalid record (reasons is a string, not a list): {"event":"anomaly_trigger"'],
    ['cleared missing', { event: 'recovered', ts }, 'recovered', 'invalid record (cleared is missing): {"event":"recovered"'],
    ['not an object', 'just text', 'record', 'invalid record (not a JSON object): "just text"'],
  ])('%s: shown raw with what is wrong', (_name, rec, label, detail) => {
    const text = describeEvent(rec);
    expect(text).toMatchObject({ label, tone: 'muted' });
    expect(text.detail.startsWith(detail)).toBe(true);
  });

  it.each(wrongTypeRecords(ts).filter(([, r]) => 'event' in r))('%s: no exception, shown as invalid', (_name, rec) => {
    expect(describeEvent(rec).detail).toMatch(/^invalid record \(.+\): \{/);
  });

  it.each(validRecords(ts).filter(([, r]) => 'event' in r))('valid %s: described, not raw', (_name, rec) => {
    expect(describeEvent(rec).detail).not.toMatch(/^invalid record|^\{/);
  });
});
