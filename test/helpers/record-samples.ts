// One valid record of every kind the guard writes, and from them every record with one known field of
// the wrong type: what a hand-edited line or another program's JSON looks like to the readers.

/** A valid record of every kind, as the writers make them (optional fields included), at `ts`. */
export function validRecords(ts: string): [string, Record<string, unknown>][] {
  const check = { ts, lat: { latency_ms: 45.2, ok: true, http_status: 200 }, res: { cpu: 42.3, mem: 31.5, disk: null }, score: 0.55, mean: 43.1, stdev: 3.8 };
  return [
    ['check (the seed)', check],
    ['check (failed probe, every added field)', { ...check, lat: { latency_ms: 400, ok: false, http_status: null, error: 'timeout after 400 ms', attempts: 2 }, score: null, mean: null, stdev: null, detector: { name: 'rank-cusum', score: 0.2, anomaly: false }, clock_back_ms: 3_600_000, reasons: ['health_unhealthy (timeout after 400 ms)'] }],
    ['anomaly_trigger', { event: 'anomaly_trigger', ts, reasons: ['latency_anomaly_3sigma (score=3.45)'], latency: 150.5, score: 3.45, cpu: 92.1, mem: 45.2, disk: 68.3 }],
    ['heal_start', { event: 'heal_start', ts, command: ['systemctl', 'restart', 'app'] }],
    ['self_heal', { event: 'self_heal', ts, command: ['x'], exit_code: null, signal: 'SIGTERM', timed_out: true, duration_ms: 60_000, stdout_tail: '', stderr_tail: 'e', error: 'command not found: x', aborted: false }],
    ['heal_suppressed (a why this version does not know)', { event: 'heal_suppressed', ts, why: 'some_new_reason', detail: 'd' }],
    ['heal_verify', { event: 'heal_verify', ts, recovered: false, latency_ms: 12, error: null }],
    ['resource_warning', { event: 'resource_warning', ts, reasons: ['disk_warning (93.2%)'], cpu: null, mem: null, disk: 93.2 }],
    ['cycle_timeout', { event: 'cycle_timeout', ts, timeout_ms: 60_000 }],
    ['heal_budget_exhausted', { event: 'heal_budget_exhausted', ts, heals_last_hour: 6, max_per_hour: 6, latched: true }],
    ['heal_resumed', { event: 'heal_resumed', ts, why: 'manual', detail: 'SIGUSR1' }],
    ['recovered', { event: 'recovered', ts, cleared: ['cpu_critical (92.1%)'], duration_ms: null }],
    ['alert_sent', { event: 'alert_sent', ts, key: 'resource_warning:disk_warning', channels: ['webhook'], ok: false }],
    ['a record with fields this version does not know', { ...check, target: 'api', extra: { any: [1] } }],
  ];
}

// A value of another JSON type than `v` (null where an object or a list is expected, and so on).
const wrongFor = (v: unknown): unknown => (typeof v === 'string' ? 5 : typeof v === 'number' ? '5' : typeof v === 'boolean' ? 'yes' : v === null ? {} : Array.isArray(v) ? 'x' : null);

/** Every variant of the valid records with one known field (top level or one below) of the wrong type. */
export function wrongTypeRecords(ts: string): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [];
  for (const [name, rec] of validRecords(ts).filter(([n]) => !n.startsWith('a record with fields'))) {
    for (const [key, value] of Object.entries(rec)) {
      if (key === 'event') continue; // another kind, not a wrong type
      out.push([`${name}: ${key} ${JSON.stringify(wrongFor(value))}`, { ...rec, [key]: wrongFor(value) }]);
      if (Array.isArray(value)) out.push([`${name}: ${key} with a number in it`, { ...rec, [key]: [...value, 7] }]);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      for (const [inner, v] of Object.entries(value)) out.push([`${name}: ${key}.${inner} ${JSON.stringify(wrongFor(v))}`, { ...rec, [key]: { ...value, [inner]: wrongFor(v) } }]);
    }
  }
  return out;
}
