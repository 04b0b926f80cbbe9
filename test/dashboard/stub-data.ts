// The data the stub API answers with: an hour of checks around 45 ms with a rolling mean and stdev,
// two latency spikes that triggered, one failed probe, and one event of each kind the table lists.
import type { StubData } from './stub-api.js';

const iso = (ms: number): string => new Date(ms).toISOString().replace('Z', '123Z');

/** `n` points ending at `endMs`, one per `stepMs`; spikes at the given indexes, a failed probe at `failedAt`. */
export function seriesPoints(n: number, endMs: number, stepMs: number, spikes: number[] = [], failedAt = -1): object[] {
  return Array.from({ length: n }, (_, i) => {
    const base = 45 + 4 * Math.sin(i / 4) + ((i * 7) % 5) - 2;
    const latency = spikes.includes(i) ? 160 + i : base;
    return {
      ts: iso(endMs - (n - 1 - i) * stepMs),
      latency_ms: i === failedAt ? 120 : Math.round(latency * 1000) / 1000,
      ok: i !== failedAt,
      score: i < 10 ? null : spikes.includes(i) ? 9.5 : 0.4,
      mean: i < 10 ? null : 45 + Math.sin(i / 10),
      stdev: i < 10 ? null : 3.2 + Math.cos(i / 9) * 0.4,
      cpu: 12,
      mem: 30,
      disk: 64,
    };
  });
}

/** A series answer for `range` with its points; triggers at the spike points (a few ms after them). */
export function seriesBody(range: string, points: { ts: string }[], spikes: number[]): object {
  const triggers = spikes.map((i) => ({ ts: iso(Date.parse(points[i]?.ts ?? '') + 40), reasons: ['latency_anomaly_3sigma (score=9.50)'] }));
  return { range, from: points[0]?.ts, to: points.at(-1)?.ts, points, triggers, sigma: 3, downsampled: range !== '1h' };
}

/** The whole stub data set, relative to `nowMs`. */
export function stubData(nowMs: number): StubData {
  const hour = seriesPoints(60, nowMs - 5000, 60_000, [30, 50], 40) as { ts: string }[];
  const day = seriesPoints(96, nowMs - 5000, 900_000, [70]) as { ts: string }[];
  const week = seriesPoints(168, nowMs - 5000, 3_600_000, []) as { ts: string }[];
  const last = hour.at(-1) as Record<string, unknown>;
  const status = {
    updated_at: iso(nowMs - 2000),
    daemon: { pid: 4242, started_at: iso(nowMs - 3_700_000), cycles: 740, version: '0.1.0' },
    config: { profile: 'safe', interval_ms: 5000, schedule: null, health_url: 'http://127.0.0.1:8080/health', sigma: 3, window: 50, detector: 'zscore', cpu_critical: 90, mem_critical: 90, disk_warning: 90, max_per_hour: 6 },
    latest_check: { ts: last.ts, lat: { latency_ms: 161.2, ok: true, http_status: 200 }, res: { cpu: 12.5, mem: 30.1, disk: 93.2 }, score: 9.5, mean: 45.3, stdev: 3.4, reasons: ['latency_anomaly_3sigma (score=9.50)', 'disk_warning (93.2%)'] },
    verdict: 'CRITICAL',
    baseline: { n: 50, mean: 45.3, stdev: 3.4, threshold_ms: 55.5 },
    last: {
      trigger: { event: 'anomaly_trigger', ts: iso(nowMs - 600_000), reasons: ['latency_anomaly_3sigma (score=9.50)'], latency: 210, score: 9.5, cpu: 12, mem: 30, disk: 64 },
      heal: { event: 'self_heal', ts: iso(nowMs - 598_000), command: ['systemctl', 'restart', 'app'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1240, stdout_tail: '', stderr_tail: '' },
    },
    heals_last_hour: 1,
  };
  return { status, events: { events: events(nowMs), skipped_lines: 0 }, series: { '1h': seriesBody('1h', hour, [30, 50]), '1d': seriesBody('1d', day, [70]), '1w': seriesBody('1w', week, []) } };
}

function events(nowMs: number): object[] {
  const at = (minAgo: number): string => iso(nowMs - minAgo * 60_000);
  return [
    { event: 'resource_warning', ts: at(1), reasons: ['disk_warning (93.2%)'], cpu: 12.5, mem: 30.1, disk: 93.2 },
    { event: 'recovered', ts: at(8), cleared: ['latency_anomaly_3sigma (score=9.50)'], duration_ms: 125_000 },
    { event: 'heal_verify', ts: at(9.9), recovered: true, latency_ms: 44.8 },
    { event: 'self_heal', ts: at(9.97), command: ['systemctl', 'restart', 'app'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1240, stdout_tail: '', stderr_tail: '' },
    { event: 'anomaly_trigger', ts: at(10), reasons: ['latency_anomaly_3sigma (score=9.50)'], latency: 210, score: 9.5, cpu: 12, mem: 30, disk: 64 },
    { event: 'heal_suppressed', ts: at(30), why: 'cooldown', detail: 'cooldown ends at 09:40:00' },
    { event: 'anomaly_trigger', ts: at(30.02), reasons: ['health_unhealthy (status=Degraded)'], latency: 120, score: null, cpu: 12, mem: 30, disk: 64 },
  ];
}
