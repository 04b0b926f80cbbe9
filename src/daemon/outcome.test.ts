import { describe, expect, it } from 'vitest';
import type { GuardRecord } from '../log/records.js';
import type { HeldLogReport } from './held-log.js';
import type { CycleOutcomeInput } from './outcome.js';
import { outcomeLine } from './outcome.js';
import { describeSchedule, noteLine, sameSchedule, scheduleOf, stopLine } from './daemon-lines.js';

const ts = '2026-01-01T00:00:00.000000Z';
const check = (reasons?: string[]): GuardRecord => ({
  ts,
  lat: { latency_ms: 3, ok: !reasons, http_status: 200 },
  res: { cpu: 1, mem: 30, disk: 50 },
  score: null,
  mean: null,
  stdev: null,
  ...(reasons ? { reasons } : {}),
});
const heal = (extra: object = {}): GuardRecord => ({
  event: 'self_heal', ts, command: ['x'], exit_code: 0, signal: null, timed_out: false, duration_ms: 270, stdout_tail: '', stderr_tail: '', ...extra,
});
const noLog: HeldLogReport = { writeError: null, readError: null, held: 0, flushed: 0, dropped: 0 };

const scenarios: { name: string; result: CycleOutcomeInput; log?: HeldLogReport; line: string }[] = [
  { name: 'all well', result: { status: 0, timedOut: false, records: [check()] }, line: 'OK' },
  {
    name: 'a warning only',
    result: { status: 1, timedOut: false, records: [check(['disk_warning (93.2%)']), { event: 'resource_warning', ts, reasons: ['disk_warning (93.2%)'], cpu: 1, mem: 30, disk: 93.2 }] },
    line: 'WARNING disk_warning (93.2%)',
  },
  {
    name: 'healed and verified',
    result: {
      status: 2,
      timedOut: false,
      records: [check(['health_unhealthy (HTTP 503)']), heal(), { event: 'heal_verify', ts, recovered: true, latency_ms: 2 }],
    },
    line: 'CRITICAL health_unhealthy (HTTP 503); heal exit 0; verify recovered',
  },
  {
    name: 'heal suppressed by the cooldown',
    result: { status: 2, timedOut: false, records: [check(['cpu_critical (95.0%)']), { event: 'heal_suppressed', ts, why: 'cooldown' }] },
    line: 'CRITICAL cpu_critical (95.0%); heal suppressed (cooldown)',
  },
  {
    name: 'heal timed out, verify failed',
    result: {
      status: 2,
      timedOut: false,
      records: [check(['health_unhealthy (status=Degraded)']), heal({ timed_out: true, signal: 'SIGTERM', exit_code: null, duration_ms: 60_000 }), { event: 'heal_verify', ts, recovered: false, latency_ms: 1, error: 'status=Degraded' }],
    },
    line: 'CRITICAL health_unhealthy (status=Degraded); heal timed out after 60.00 s; verify still failing (status=Degraded)',
  },
  { name: 'heal command missing', result: { status: 2, timedOut: false, records: [check(['x']), heal({ error: 'command not found: foo', exit_code: null })] }, line: 'CRITICAL x; heal failed: command not found: foo' },
  { name: 'cycle timed out', result: { status: 3, timedOut: true, records: [{ event: 'cycle_timeout', ts, timeout_ms: 60000 }] }, line: 'UNKNOWN cycle timed out after 60000 ms' },
  {
    name: 'records held back',
    result: { status: 0, timedOut: false, records: [check()] },
    log: { ...noLog, writeError: 'cannot write log /l: a part of the path is not a folder (ENOTDIR); set log_file to a path inside a folder', held: 3 },
    line: 'OK; log not writable: cannot write log /l: a part of the path is not a folder (ENOTDIR); set log_file to a path inside a folder, 3 records held back',
  },
  {
    name: 'records held back, the log unreadable too',
    result: { status: 0, timedOut: false, records: [check()] },
    log: { ...noLog, writeError: 'cannot write log /l (ENOTDIR)', readError: 'cannot read log /l (ENOTDIR)', held: 1 },
    line: 'OK; log not writable: cannot write log /l (ENOTDIR), 1 record held back; not readable either',
  },
  { name: 'the log unreadable only', result: { status: 0, timedOut: false, records: [check()] }, log: { ...noLog, readError: 'cannot read log /l (EACCES)' }, line: 'OK; log not readable: cannot read log /l (EACCES)' },
  { name: 'held records written again', result: { status: 0, timedOut: false, records: [check()] }, log: { ...noLog, flushed: 4 }, line: 'OK; log writable again: 4 held-back records written' },
];

describe('outcomeLine: one readable line per cycle for scheduler.log', () => {
  it.each(scenarios)('$name', ({ result, log, line }) => {
    expect(outcomeLine(result, log ?? noLog)).toBe(line);
  });
});

describe('daemon lines', () => {
  it('names the schedule: cron when set, else the interval', () => {
    expect(describeSchedule(scheduleOf({ schedule: null, intervalMs: 300_000 }))).toBe('every 5m');
    expect(describeSchedule(scheduleOf({ schedule: '*/5 * * * *', intervalMs: 300_000 }))).toBe('cron "*/5 * * * *"');
    expect(sameSchedule({ kind: 'interval', everyMs: 1000 }, { kind: 'interval', everyMs: 1000 })).toBe(true);
    expect(sameSchedule({ kind: 'interval', everyMs: 1000 }, { kind: 'interval', everyMs: 2000 })).toBe(false);
    expect(sameSchedule({ kind: 'cron', expr: '* * * * *' }, { kind: 'interval', everyMs: 1000 })).toBe(false);
  });

  it.each([
    [{ kind: 'cycle-start', cycle: 3 } as const, 'cycle 3 start'],
    [{ kind: 'cycle-end', cycle: 3, durationMs: 1052, outcome: 'OK' } as const, 'cycle 3 end after 1.05 s: OK'],
    [{ kind: 'cycle-error', cycle: 4, durationMs: 10, error: 'boom' } as const, 'cycle 4 error after 0.01 s: boom'],
    [{ kind: 'skip', tick: 5, running: 4, runningForMs: 1000 } as const, 'tick 5 skipped: cycle 4 still running (for 1.00 s)'],
  ])('%o → %s', (note, line) => {
    expect(noteLine(note)).toBe(line);
  });

  it('says which signal stopped it and how many cycles ran', () => {
    expect(stopLine('SIGINT', 1)).toBe('stopped on SIGINT after 1 cycle');
    expect(stopLine('SIGTERM', 12)).toBe('stopped on SIGTERM after 12 cycles');
  });
});
