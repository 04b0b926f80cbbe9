import { describe, expect, it } from 'vitest';
import { validRecords, wrongTypeRecords } from '../../test/helpers/record-samples.js';
import { classifyRecord, isCheckRecord, isEvent } from './record-guards.js';

const TS = '2026-01-31T08:00:00.123456Z';
const CHECK = { ts: TS, lat: { latency_ms: 45.2, ok: true, http_status: 200 }, res: { cpu: 42.3, mem: 31.5, disk: null }, score: 0.55, mean: 43.1, stdev: 3.8 };
const VALID = validRecords(TS);

// Valid JSON objects that are not valid records, and what the reader is told is wrong.
const INVALID: [string, unknown, string, string][] = [
  ['lat empty', { ts: TS, lat: {} }, 'check', 'lat.latency_ms is missing'],
  ['lat null', { ...CHECK, lat: null }, 'check', 'lat is null, not an object'],
  ['lat a string', { ...CHECK, lat: 'x' }, 'check', 'lat is a string, not an object'],
  ['latency_ms a string', { ...CHECK, lat: { latency_ms: '45', ok: true } }, 'check', 'lat.latency_ms is a string, not number'],
  ['ok a number', { ...CHECK, lat: { latency_ms: 1, ok: 1 } }, 'check', 'lat.ok is a number, not boolean'],
  ['res missing', { ...CHECK, res: undefined }, 'check', 'res is missing'],
  ['cpu a string', { ...CHECK, res: { cpu: '1', mem: 1, disk: 1 } }, 'check', 'res.cpu is a string, not number or null'],
  ['score a string', { ...CHECK, score: 'high' }, 'check', 'score is a string, not number or null'],
  ['ts a number', { ...CHECK, ts: 5 }, 'check', 'ts is a number, not string'],
  ['check reasons a string', { ...CHECK, reasons: 'x' }, 'check', 'reasons is a string, not a list'],
  ['check reasons with a number', { ...CHECK, reasons: ['a', 2] }, 'check', 'reasons.1 is a number, not string'],
  ['trigger reasons a string', { event: 'anomaly_trigger', ts: TS, reasons: 'x', latency: 1, score: null, cpu: null, mem: null, disk: null }, 'anomaly_trigger', 'reasons is a string, not a list'],
  ['self_heal command a string', { event: 'self_heal', ts: TS, command: 'restart', exit_code: 0, signal: null, timed_out: false, duration_ms: 1, stdout_tail: '', stderr_tail: '' }, 'self_heal', 'command is a string, not a list'],
  ['heal_suppressed why a number', { event: 'heal_suppressed', ts: TS, why: 3 }, 'heal_suppressed', 'why is a number, not string'],
  ['recovered cleared an object', { event: 'recovered', ts: TS, cleared: {}, duration_ms: 1 }, 'recovered', 'cleared is an object, not a list'],
  ['alert_sent channels a number', { event: 'alert_sent', ts: TS, key: 'k', channels: 3, ok: true }, 'alert_sent', 'channels is a number, not a list'],
  ['an event without ts', { event: 'cycle_timeout', timeout_ms: 1 }, 'cycle_timeout', 'ts is missing'],
  ['event a number', { event: 7, ts: TS }, 'record', 'event is a number'],
  ['neither check nor event', { pad: 'ppp' }, 'record', 'neither a check (lat) nor an event'],
  ['a list', [1, 2], 'record', 'not a JSON object'],
];

describe('record guards', () => {
  it.each(VALID)('a valid %s is ours', (_name, rec) => {
    const c = classifyRecord(rec);
    expect(c.kind === 'check' || c.kind === 'event').toBe(true);
    expect(isCheckRecord(rec)).toBe('event' in rec ? false : true);
    if ('event' in rec) expect(isEvent(rec, rec.event as 'recovered')).toBe(true);
  });

  it.each(INVALID)('%s: invalid, says which field', (_name, rec, what, problem) => {
    expect(classifyRecord(rec)).toEqual({ kind: 'invalid', what, problem });
    expect(isCheckRecord(rec)).toBe(false);
  });

  it.each(wrongTypeRecords(TS))('%s: invalid', (_name, rec) => {
    const c = classifyRecord(rec);
    expect(c.kind).toBe('invalid');
    if (typeof rec.event === 'string') expect(isEvent(rec, rec.event as 'recovered')).toBe(false);
    else expect(isCheckRecord(rec)).toBe(false);
  });

  it('an event kind this version does not write is unknown, not invalid', () => {
    expect(classifyRecord({ event: 'daemon_started', ts: TS, anything: 1 })).toEqual({ kind: 'unknown_event', event: 'daemon_started' });
  });

  it('isEvent checks the fields of that kind only', () => {
    const trigger = { event: 'anomaly_trigger', ts: TS, reasons: ['x'], latency: 1, score: null, cpu: null, mem: null, disk: null };
    expect(isEvent(trigger, 'anomaly_trigger')).toBe(true);
    expect(isEvent(trigger, 'resource_warning')).toBe(false);
    expect(isEvent({ ...trigger, latency: 'slow' }, 'anomaly_trigger')).toBe(false);
  });
});
