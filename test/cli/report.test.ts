// `anomaly-guard report` through the built CLI, on a hand-written log with a rotated `.1` and `.2.gz`:
// every figure of --json is computed by hand below, then --since/--until, unreadable lines, the human
// output and the missing-log error.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/guard-env.js';

const T = '2025-10-21T08';
const check = (t: string, latency_ms: number, ok: boolean, score: number | null, reasons?: string[]): string =>
  JSON.stringify({ ts: `${T}:${t}Z`, lat: { latency_ms, ok }, res: { cpu: 10, mem: 30, disk: 60 }, score, mean: null, stdev: null, ...(reasons ? { reasons } : {}) });
const ev = (event: string, t: string, fields: Record<string, unknown>): string => JSON.stringify({ event, ts: `${T}:${t}Z`, ...fields });
const heal = (t: string, fields: Record<string, unknown>): string =>
  ev('self_heal', t, { command: ['restart'], exit_code: 0, signal: null, timed_out: false, duration_ms: 1500, stdout_tail: '', stderr_tail: '', ...fields });
const LAT = 'latency_anomaly_3sigma';

// Oldest file: a latency spike that a heal fixes (incident 1: 08:10 → 08:15).
const ROTATED_2 = [
  check('00:00.000000', 10.5, true, null),
  check('05:00.000000', 20, true, 0.5),
  check('10:00.000000', 30, true, 4.2, [`${LAT} (score=4.2)`]),
  ev('anomaly_trigger', '10:00.000000', { reasons: [`${LAT} (score=4.2)`], latency: 30, score: 4.2, cpu: 10, mem: 30, disk: 60 }),
  heal('10:01.500000', {}),
  ev('heal_verify', '10:11.500000', { recovered: true, latency_ms: 12 }),
];
// Then an outage of three failed checks (incident 2: 08:20 → 08:35), with garbage in between.
const ROTATED_1 = [
  check('15:00.000000', 40, true, 1.0),
  'not json at all',
  '[1,2,3]',
  check('20:00.000000', 5000, false, null, ['health_unhealthy (timeout after 5000 ms)']),
  ev('anomaly_trigger', '20:00.000000', { reasons: ['health_unhealthy (timeout after 5000 ms)', 'cpu_critical (95.0%)'], latency: 5000, score: null, cpu: 95, mem: 30, disk: 60 }),
  heal('20:06.000000', { exit_code: 1 }),
  ev('heal_verify', '20:16.000000', { recovered: false, latency_ms: 3, error: 'HTTP 503' }),
  check('25:00.000000', 3.5, false, null, ['health_unhealthy (HTTP 503)']),
  ev('heal_suppressed', '25:00.000000', { why: 'cooldown' }),
  check('30:00.000000', 2, false, null, ['health_unhealthy (connection refused)']),
  ev('anomaly_trigger', '30:00.000000', { reasons: ['health_unhealthy (connection refused)'], latency: 2, score: null, cpu: 10, mem: 30, disk: 60 }),
  heal('30:30.000000', { exit_code: null, signal: 'SIGTERM', timed_out: true }),
  ev('cycle_timeout', '31:00.000000', { timeout_ms: 60000 }),
  check('35:00.000000', 50, true, 2.5),
  ev('recovered', '35:00.000000', { cleared: ['health_unhealthy (connection refused)'], duration_ms: 900000 }),
];
// The live log: a disk warning (incident 3: 08:40 → 08:45), then an incident still open at the end.
const LIVE = [
  check('40:00.000000', 60, true, 1.5, ['disk_warning (93.2%)']),
  ev('resource_warning', '40:00.000000', { reasons: ['disk_warning (93.2%)'], cpu: 10, mem: 30, disk: 93.2 }),
  ev('alert_sent', '40:00.000000', { key: 'resource_warning:disk_warning', channels: ['command'], ok: true }),
  check('45:00.000000', 70, true, -0.3),
  ev('heal_suppressed', '45:00.000000', { why: 'rate_limit' }),
  // Keys in another order and a ts without microseconds: read through the slow path.
  JSON.stringify({ ts: `${T}:45:00Z`, event: 'heal_budget_exhausted', heals_last_hour: 6, max_per_hour: 6, latched: false }),
  check('50:00.000000', 80, true, 5.0, [`${LAT} (score=5.0)`, 'mem_critical (92.0%)']),
  ev('anomaly_trigger', '50:00.000000', { reasons: [`${LAT} (score=5.0)`, 'mem_critical (92.0%)'], latency: 80, score: 5, cpu: 10, mem: 92, disk: 60 }),
  ev('heal_suppressed', '50:00.000000', { why: 'no_command' }),
  check('55:00.000000', 95.25, true, 3.1, [`${LAT} (score=3.1)`]),
  ev('anomaly_trigger', '55:00.000000', { reasons: [`${LAT} (score=3.1)`], latency: 95.25, score: 3.1, cpu: 10, mem: 30, disk: 60 }),
  heal('55:02.000000', { exit_code: null, signal: 'SIGTERM', aborted: true }),
  '   ',
];
const TORN = `{"ts":"${T}:59:59.000000Z","lat":{"latency_`; // a crash mid-append: no newline

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function writeLog(files: { live?: string; rotated1?: string; rotated2gz?: string }): string {
  dir = mkdtempSync(join(tmpdir(), 'ag-report-'));
  mkdirSync(join(dir, 'logs'));
  const log = join(dir, 'logs', 'guard.ndjson');
  if (files.rotated2gz !== undefined) writeFileSync(`${log}.2.gz`, gzipSync(files.rotated2gz));
  if (files.rotated1 !== undefined) writeFileSync(`${log}.1`, files.rotated1);
  if (files.live !== undefined) writeFileSync(log, files.live);
  writeFileSync(join(dir, 'guard.json'), JSON.stringify({ log_file: 'logs/guard.ndjson' }));
  return log;
}

const lines = (l: string[]): string => `${l.join('\n')}\n`;
const writeFixture = (): string => writeLog({ rotated2gz: lines(ROTATED_2), rotated1: lines(ROTATED_1), live: lines(LIVE) + TORN });
const report = (args: string[]) => runCli(['report', ...args, '-c', join(dir, 'guard.json')]);
const at = (t: string): string => `${T}:${t}Z`;

describe('report --json: every figure of a hand-written log', () => {
  it('reads .2.gz, .1 and the live log oldest first and computes the documented shape', async () => {
    const log = writeFixture();
    const run = await report(['--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      log_file: log,
      range: { since: null, until: null },
      span: { first: at('00:00.000000'), last: at('55:02.000000'), duration_ms: 3_302_000 },
      records: 31,
      checks: 12,
      ok_checks: 9,
      availability: 0.75,
      longest_unhealthy: { start: at('20:00.000000'), end: at('35:00.000000'), duration_ms: 900_000, checks: 3, ongoing: false },
      latency_ms: { p50: 50, p95: 95.25, p99: 95.25, max: 95.25, samples: 9, method: 'exact', relative_error: 0 },
      triggers: { [LAT]: 3, health_unhealthy: 2, cpu_critical: 1, mem_critical: 1 },
      warnings: { disk_warning: 1 },
      heals: { ok: 1, failed: 1, timed_out: 1, aborted: 1 },
      suppressed: { cooldown: 1, no_command: 1, rate_limit: 1 },
      verify: { recovered: 1, not_recovered: 1 },
      incidents: [
        { start: at('10:00.000000'), end: at('15:00.000000'), last_finding: at('10:00.000000'), duration_ms: 0, ttr_ms: 300_000, reason_types: [LAT], heals: 1, open: false },
        { start: at('20:00.000000'), end: at('35:00.000000'), last_finding: at('30:00.000000'), duration_ms: 600_000, ttr_ms: 900_000, reason_types: ['health_unhealthy', 'cpu_critical'], heals: 2, open: false },
        { start: at('40:00.000000'), end: at('45:00.000000'), last_finding: at('40:00.000000'), duration_ms: 0, ttr_ms: 300_000, reason_types: ['disk_warning'], heals: 0, open: false },
        { start: at('50:00.000000'), end: null, last_finding: at('55:00.000000'), duration_ms: 300_000, ttr_ms: null, reason_types: [LAT, 'mem_critical'], heals: 1, open: true },
      ],
      incidents_total: 4,
      incidents_recovered: 3,
      mttr_ms: 500_000,
      top_anomalies: [
        { ts: at('50:00.000000'), score: 5, latency_ms: 80 },
        { ts: at('10:00.000000'), score: 4.2, latency_ms: 30 },
        { ts: at('55:00.000000'), score: 3.1, latency_ms: 95.25 },
        { ts: at('35:00.000000'), score: 2.5, latency_ms: 50 },
        { ts: at('40:00.000000'), score: 1.5, latency_ms: 60 },
        { ts: at('15:00.000000'), score: 1, latency_ms: 40 },
        { ts: at('05:00.000000'), score: 0.5, latency_ms: 20 }, // the check at 45:00 scored -0.3: not an anomaly
      ],
      cycle_timeouts: 1,
      budget_exhausted: 1,
      alerts: { ok: 1, failed: 0 },
      skipped_lines: 3,
      untimed_records: 0,
      files: [
        { path: `${log}.2.gz`, gzip: true, bytes: expect.any(Number), lines: 6, skipped: 0, error: null },
        { path: `${log}.1`, gzip: false, bytes: expect.any(Number), lines: 15, skipped: 2, error: null },
        { path: log, gzip: false, bytes: expect.any(Number), lines: 13, skipped: 1, error: null },
      ],
    });
  });
});

describe('report: --since and --until', () => {
  it('keeps only records inside the range, both ends included, and does not parse lines outside it', async () => {
    writeFixture();
    const run = await report(['--json', '--since', '2025-10-21T08:20:00Z', '--until', '2025-10-21T08:35:00Z']);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.range).toEqual({ since: at('20:00.000000'), until: at('35:00.000000') });
    expect(r.span).toEqual({ first: at('20:00.000000'), last: at('35:00.000000'), duration_ms: 900_000 });
    expect([r.records, r.checks, r.ok_checks, r.availability]).toEqual([12, 4, 1, 0.25]);
    expect(r.latency_ms).toMatchObject({ p50: 50, max: 50, samples: 1 });
    expect(r.triggers).toEqual({ health_unhealthy: 2, cpu_critical: 1 });
    expect(r.heals).toEqual({ ok: 0, failed: 1, timed_out: 1, aborted: 0 });
    expect([r.incidents_total, r.mttr_ms]).toEqual([1, 900_000]);
    // The two garbage lines have no ts and are counted; the torn line's ts (08:59:59) is out of range.
    expect(r.skipped_lines).toBe(2);
  });

  it('takes a duration back from now', async () => {
    const iso = (msAgo: number): string => new Date(Date.now() - msAgo).toISOString().replace('Z', '000Z');
    const rec = (ts: string, latency_ms: number) => JSON.stringify({ ts, lat: { latency_ms, ok: true }, res: { cpu: 1, mem: 1, disk: 1 }, score: null, mean: null, stdev: null });
    writeLog({ live: lines([rec(iso(3 * 3_600_000), 10), rec(iso(90 * 60_000), 20), rec(iso(30 * 60_000), 30)]) });
    const run = await report(['--json', '--since', '2h']);
    expect(JSON.parse(run.stdout)).toMatchObject({ checks: 2, latency_ms: { p50: 20, max: 30 } });
  });

  it.each([
    { name: 'an unreadable --since', args: ['--since', 'yesterday'], message: /^anomaly-guard report: --since yesterday is neither a duration nor a timestamp$/m },
    { name: 'a reversed range', args: ['--since', '2025-10-22', '--until', '2025-10-21'], message: /^anomaly-guard report: --since 2025-10-22 is after --until 2025-10-21$/m },
  ])('is a usage error (exit 2): $name', async ({ args, message }) => {
    writeFixture();
    const run = await report(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/^hint: /m);
  });
});

describe('report: the human output', () => {
  it('shows the key figures in aligned lines and tables', async () => {
    const log = writeFixture();
    const run = await report([]);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toMatch(new RegExp(`^log {11}${log.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\+ 2 rotated files \\(\\d+(\\.\\d)? kB\\)$`, 'm'));
    expect(out).toContain(`span          ${at('00:00.000000')} → ${at('55:02.000000')} (55m 02s), 31 records, 12 checks`);
    expect(out).toContain('availability  75.000 %  (3 of 12 checks failed)');
    expect(out).toContain(`longest down  3 failed checks, ${at('20:00.000000')} → ${at('35:00.000000')} (15m 00s)`);
    expect(out).toContain('latency       p50 50.0 ms  p95 95.3 ms  p99 95.3 ms  max 95.3 ms  over 9 ok checks (exact)');
    expect(out).toContain('heals         4 run: 1 ok · 1 failed · 1 timed out · 1 aborted');
    expect(out).toContain('suppressed    cooldown 1 · no_command 1 · rate_limit 1');
    expect(out).toContain('unreadable    3 lines skipped (not JSON)');
    expect(out).toMatch(/^triggers by reason type:\n {2}latency_anomaly_3sigma {2}3\n {2}health_unhealthy {8}2\n/m);
    expect(out).toContain('incidents: 4, 3 recovered, MTTR 8m 20s');
    expect(out).toMatch(/^ {2}start {24}duration {2}to recovery {2}heals {2}reasons$/m);
    expect(out).toContain(`  ${at('20:00.000000')}   10m 00s      15m 00s      2  health_unhealthy, cpu_critical`);
    expect(out).toContain(`  ${at('50:00.000000')}    5m 00s         open      1  latency_anomaly_3sigma, mem_critical`);
    expect(out).toContain(`  ${at('40:00.000000')}        0s       5m 00s      0  disk_warning`);
    expect(out).toContain(`  ${at('50:00.000000')}   5.00  80.0 ms`);
  });
});

describe('report: files and failures', () => {
  it('exits 1 with LOG_MISSING when there is no log and no rotated file', async () => {
    writeLog({});
    const run = await report([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^anomaly-guard report: no log yet at .*logs\/guard\.ndjson \(nor rotated files beside it\)$/m);
  });

  it('reads the rotated files when the live log is gone, and reports a truncated gzip file', async () => {
    const whole = gzipSync(lines(ROTATED_2));
    const log = writeLog({ rotated1: lines(ROTATED_1) });
    writeFileSync(`${log}.2.gz`, whole.subarray(0, whole.length - 12));
    const run = await report(['--json']);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.files.map((f: { path: string }) => f.path)).toEqual([`${log}.2.gz`, `${log}.1`]);
    expect(r.files[0].error).toBe('unexpected end of file');
    expect(r.checks).toBe(3 + 5); // all three checks of .2.gz were inflated before the end was missed
    expect(run.stderr).toContain(`anomaly-guard report: ${log}.2.gz was not read to its end: unexpected end of file`);
  });
});

describe('report: a log that cannot be read', () => {
  it('exits 1 with LOG_UNREADABLE when no file of the log can be read', async () => {
    const log = writeLog({});
    writeFileSync(`${log}.1.gz`, 'not gzip\n');
    const run = await report([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^anomaly-guard report: cannot read log .*guard\.ndjson\.1\.gz: incorrect header check$/m);
    expect(run.stderr).toMatch(/^hint: /m);
  });
});
