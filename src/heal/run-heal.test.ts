import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeProcessRunner } from '../effects/process-runner.js';
import type { AnomalyTriggerRecord, SelfHealRecord } from '../log/records.js';
import { runHeal, type HealRunOptions } from './run-heal.js';

const scripts = fileURLToPath(new URL('../../test/fixtures/scripts/', import.meta.url));
const node = process.execPath;
const NOW = Date.parse('2025-10-21T08:35:00.123Z') + 0.456;
const deps = {
  runner: nodeProcessRunner({ clock: { monoMs: () => performance.now() } }),
  clock: { nowMs: () => NOW },
};
const trigger: AnomalyTriggerRecord = {
  event: 'anomaly_trigger',
  ts: '2025-10-21T08:34:59.000001Z',
  reasons: ['health_unhealthy (HTTP 503)', 'cpu_critical (92.1%)'],
  latency: 150.5,
  score: null,
  cpu: 92.1,
  mem: 45.2,
  disk: 68.3,
};

interface Scenario {
  name: string;
  opts: (dir: string) => HealRunOptions;
  expected: (dir: string) => Partial<SelfHealRecord> & { aborted?: boolean };
}

const quick = { timeoutMs: 300, killGraceMs: 200 };
const scenarios: Scenario[] = [
  {
    name: 'a heal that exits 0',
    opts: (dir) => ({ ...quick, timeoutMs: 30_000, command: [node, join(scripts, 'record-stdin.mjs'), join(dir, 'stdin.json')] }),
    expected: () => ({ exit_code: 0, signal: null, timed_out: false, stderr_tail: 'stderr: done\n' }),
  },
  {
    name: 'a heal that fails',
    // A child that ends by itself gets all the time a loaded machine may need to start Node.
    opts: () => ({ ...quick, timeoutMs: 30_000, command: [node, join(scripts, 'exit-code.mjs'), '3'] }),
    expected: () => ({ exit_code: 3, signal: null, timed_out: false, stderr_tail: 'failing with 3\n' }),
  },
  {
    name: 'a heal that hangs',
    opts: () => ({ ...quick, command: ['/bin/sh', join(scripts, 'hang.sh')] }),
    expected: () => ({ exit_code: null, signal: 'SIGTERM', timed_out: true, stdout_tail: 'hanging\n' }),
  },
  {
    name: 'a heal that cannot start',
    opts: (dir) => ({ ...quick, command: [join(dir, 'self_heal.py')] }),
    expected: (dir) => ({ exit_code: null, signal: null, timed_out: false, error: `command not found: ${join(dir, 'self_heal.py')}` }),
  },
  {
    name: 'a heal stopped by an abort',
    opts: () => ({ ...quick, timeoutMs: 10_000, command: ['/bin/sh', join(scripts, 'hang.sh')], signal: AbortSignal.timeout(150) }),
    expected: () => ({ signal: 'SIGTERM', timed_out: false, aborted: true }),
  },
];

describe('runHeal', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-heal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const s of scenarios) {
    it(`records ${s.name}`, async () => {
      const opts = s.opts(dir);
      const record = await runHeal(trigger, opts, deps);
      expect(record).toMatchObject({ event: 'self_heal', ts: '2025-10-21T08:35:00.123456Z', command: opts.command, ...s.expected(dir) });
      expect(record.duration_ms).toBe(Math.round(record.duration_ms * 1000) / 1000);
      expect('error' in record).toBe(s.expected(dir).error !== undefined);
      expect(JSON.parse(JSON.stringify(record))).toEqual(record);
    });
  }

  it('gives the heal the trigger record as one JSON line on stdin', async () => {
    const opts = { ...quick, timeoutMs: 30_000, command: [node, join(scripts, 'record-stdin.mjs'), join(dir, 'stdin.json')] };
    const record = await runHeal(trigger, opts, deps);
    const received = readFileSync(join(dir, 'stdin.json'), 'utf8');
    expect(received).toBe(`${JSON.stringify(trigger)}\n`);
    expect(JSON.parse(received)).toEqual(trigger);
    expect(record.stdout_tail).toBe(`got ${Buffer.byteLength(received)} bytes\n`);
  });
});
