import { describe, expect, it } from 'vitest';
import type { AnomalyTriggerRecord } from '../log/records.js';
import { alertText } from './alert-text.js';

const trigger: AnomalyTriggerRecord = {
  event: 'anomaly_trigger',
  ts: '2025-10-21T08:35:00.123456Z',
  reasons: ['health_unhealthy (HTTP 503)'],
  latency: 12.5,
  score: null,
  cpu: 10.1,
  mem: 20.2,
  disk: 30.3,
};
describe('alertText', () => {
  const cases: Array<[string, object, string]> = [
    ['a trigger', trigger, 'anomaly-guard: anomaly_trigger — health_unhealthy (HTTP 503)'],
    ['a warning with two reasons', { event: 'resource_warning', reasons: ['disk_warning (93.2%)', 'mem_critical (91%)'] }, 'anomaly-guard: resource_warning — disk_warning (93.2%), mem_critical (91%)'],
    ['a heal that timed out', { event: 'self_heal', timed_out: true, signal: 'SIGTERM', duration_ms: 60000.5 }, 'anomaly-guard: self_heal — heal timed out after 60000.5 ms (SIGTERM)'],
    ['a heal that could not start', { event: 'self_heal', error: 'command not found: heal.sh' }, 'anomaly-guard: self_heal — heal did not start (command not found: heal.sh)'],
    ['a heal that worked', { event: 'self_heal', exit_code: 0, signal: null, timed_out: false, duration_ms: 812.25 }, 'anomaly-guard: self_heal — heal exited with code 0 after 812.25 ms'],
    ['a failed verify', { event: 'heal_verify', recovered: false, error: 'connection\nrefused' }, 'anomaly-guard: heal_verify — not recovered (connection refused)'],
    ['a suppressed heal', { event: 'heal_suppressed', why: 'rate_limit' }, 'anomaly-guard: heal_suppressed — rate_limit'],
    ['a cycle timeout', { event: 'cycle_timeout', timeout_ms: 60000 }, 'anomaly-guard: cycle_timeout — cycle aborted after 60000 ms'],
  ];
  it.each(cases)('phrases %s on one line', (_name, record, text) => {
    expect(alertText(record)).toBe(text);
  });
});
