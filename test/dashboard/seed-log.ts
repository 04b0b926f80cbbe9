// Logs the dashboard's chart tests start the real daemon on (through guardEnv's seedLog): a day of checks
// ending now, with one incident (failed checks, a trigger, a heal, its verification, the recovery), a lone
// failed probe that no trigger followed, and one 3-second outlier; and a log whose heal budget is latched off.
import { formatTs } from '../../src/core/format.js';

const MIN = 60_000;

/** A check record as the guard writes it: ok with a latency, or failed with HTTP 503. */
export function checkRecord(ms: number, latency: number, ok = true): Record<string, unknown> {
  const lat = ok ? { latency_ms: latency, ok: true, http_status: 200 } : { latency_ms: latency, ok: false, http_status: 503, error: 'HTTP 503' };
  return { ts: formatTs(ms), lat, res: { cpu: 10, mem: 30, disk: 50 }, score: null, mean: null, stdev: null, ...(ok ? {} : { reasons: ['health_unhealthy (HTTP 503)'] }) };
}

/** The times (epoch ms) of what the chart log holds, for the tests to place them. */
export interface ChartLogTimes {
  incidentFrom: number;
  incidentTo: number;
  blip: number;
  outlier: number;
}

/** 23 h of checks a minute apart, then the last hour 10 s apart ending 10 s before `nowMs`, with the incident, blip and outlier. */
export function chartLog(nowMs: number): { records: object[]; times: ChartLogTimes } {
  const t = { incidentFrom: nowMs - 40 * MIN, incidentTo: nowMs - 38 * MIN, blip: nowMs - 20 * MIN, outlier: nowMs - 10 * MIN };
  const records: object[] = [];
  const hourStart = nowMs - 60 * MIN;
  for (let ms = nowMs - 24 * 60 * MIN; ms < hourStart; ms += MIN) records.push(checkRecord(ms, 20 + (Math.floor(ms / MIN) % 7)));
  for (let i = 0, ms = hourStart; ms < nowMs - 5000; i++, ms += 10_000) {
    const failed = (ms >= t.incidentFrom && ms <= t.incidentTo) || ms === t.blip;
    records.push(checkRecord(ms, ms === t.outlier ? 3000 : failed ? 10_000 : 20 + (i % 7), !failed));
    if (ms === t.incidentFrom + 10_000) {
      records.push({ event: 'anomaly_trigger', ts: formatTs(ms + 1), reasons: ['health_unhealthy (HTTP 503)'], latency: 10_000, score: null, cpu: 10, mem: 30, disk: 50 });
      records.push({ event: 'self_heal', ts: formatTs(ms + 2000), command: ['restart'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1500, stdout_tail: '', stderr_tail: '' });
    }
    if (ms === t.incidentTo) records.push({ event: 'heal_verify', ts: formatTs(ms + 5000), recovered: true, latency_ms: 21 });
    if (ms === t.incidentTo + 10_000) records.push({ event: 'recovered', ts: formatTs(ms + 1), cleared: ['health_unhealthy (HTTP 503)'], duration_ms: 130_000 });
  }
  return { records, times: { ...t, incidentTo: t.incidentTo + 5000 } };
}

/** Six heals in the last hour and the budget latched off 5 minutes ago, then healthy checks. */
export function latchedBudgetLog(nowMs: number): object[] {
  const records: object[] = [];
  for (let k = 0; k < 6; k++) {
    const ms = nowMs - (50 - 7 * k) * MIN;
    records.push(checkRecord(ms - 1000, 10_000, false));
    records.push({ event: 'anomaly_trigger', ts: formatTs(ms - 999), reasons: ['health_unhealthy (HTTP 503)'], latency: 10_000, score: null, cpu: 10, mem: 30, disk: 50 });
    records.push({ event: 'self_heal', ts: formatTs(ms), command: ['restart'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1500, stdout_tail: '', stderr_tail: '' });
  }
  const latchedAt = nowMs - 5 * MIN;
  records.push(checkRecord(latchedAt - 1000, 10_000, false));
  records.push({ event: 'anomaly_trigger', ts: formatTs(latchedAt - 999), reasons: ['health_unhealthy (HTTP 503)'], latency: 10_000, score: null, cpu: 10, mem: 30, disk: 50 });
  records.push({ event: 'heal_budget_exhausted', ts: formatTs(latchedAt), heals_last_hour: 6, max_per_hour: 6, latched: true });
  records.push({ event: 'heal_suppressed', ts: formatTs(latchedAt + 1), why: 'rate_limit', detail: '6 heals in the last hour; heal.max_per_hour is 6' });
  for (let ms = latchedAt + 10_000; ms < nowMs - 5000; ms += 10_000) records.push(checkRecord(ms, 21));
  return records;
}
