// The cycle in-process with real HTTP, real child processes and a real log file, and fake /proc and
// statfs readings where the host cannot be made busy on demand (CPU 95 %, disk 93.2 %).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { runCycle } from '../../src/cycle/check-cycle.js';
import type { CycleDeps } from '../../src/cycle/deps.js';
import { systemClock } from '../../src/effects/clock.js';
import { nodeHttpGet } from '../../src/effects/http-client.js';
import { nodeHttpPost } from '../../src/effects/http-post.js';
import { nodeProcessRunner } from '../../src/effects/process-runner.js';
import type { ProcfsReader } from '../../src/effects/procfs.js';
import type { Statfs } from '../../src/effects/statfs.js';
import { nodeTcpConnect } from '../../src/effects/tcp-client.js';
import { fileGuardLog } from '../../src/log/file-log.js';
import { tryLock } from '../../src/log/lock.js';
import { sharedHealthServer } from '../helpers/health-server.js';

// Two /proc/stat readings 1000 jiffies apart: busy 950 (user 900 + system 50), idle 50 → 95.0 %.
const STAT_A = 'cpu  10000 0 2000 50000 500 0 0 0 0 0\n';
const STAT_B = 'cpu  10900 0 2050 50050 500 0 0 0 0 0\n';
const MEMINFO = 'MemTotal:       1000000 kB\nMemFree:         500000 kB\nMemAvailable:    700000 kB\n';
// disk: used = (1000 − 68) · 4096, avail = 68 · 4096 → 932 / 1000 = 93.2 %
const DISK_932: Statfs = async () => ({ bsize: 4096, blocks: 1000, bfree: 68, bavail: 68 });
const DISK_50: Statfs = async () => ({ bsize: 4096, blocks: 1000, bfree: 500, bavail: 500 });

function fakeProcfs(stats: string[]): ProcfsReader {
  let i = 0;
  return { read: async (rel) => (rel === 'stat' ? (stats[Math.min(i++, stats.length - 1)] as string) : MEMINFO) };
}

const server = sharedHealthServer();
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(raw: Record<string, unknown>, opts: { stats?: string[]; statfs?: Statfs } = {}) {
  dir = mkdtempSync(join(tmpdir(), 'ag-cycle-'));
  const { config } = validateConfig({ profile: 'seed', health: { url: server.url, timeout: '1s' }, resources: { cpu_sample: '20ms' }, heal: { verify_after: '0s' }, ...raw }, { file: null, baseDir: dir });
  const clock = systemClock();
  const log = fileGuardLog(config.logFile);
  const warnings: string[] = [];
  const deps: CycleDeps = {
    clock,
    http: nodeHttpGet(),
    post: nodeHttpPost(),
    tcp: nodeTcpConnect(),
    procfs: fakeProcfs(opts.stats ?? [STAT_A, STAT_A]),
    statfs: opts.statfs ?? DISK_50,
    runner: nodeProcessRunner({ clock }),
    log,
    lockHeal: () => tryLock(`${config.logFile}.heal.lock`),
    readFile: async (p) => readFileSync(p, 'utf8'),
    warn: (line) => warnings.push(line),
  };
  const records = (): Record<string, any>[] => readFileSync(config.logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  return { config, deps, warnings, records };
}

describe('runCycle', () => {
  it('CPU > 90 % → resource → heal (cpu_critical (95.0%))', async () => {
    const t = setup({}, { stats: [STAT_A, STAT_B] });
    const result = await runCycle(t.config, t.deps);
    expect(result.status).toBe(2);
    const [check, trigger, suppressed] = t.records();
    expect(check!.res).toEqual({ cpu: 95, mem: 30, disk: 50 });
    expect(trigger!.reasons).toEqual(['cpu_critical (95.0%)']);
    expect(suppressed).toMatchObject({ event: 'heal_suppressed', why: 'no_command' });
  });

  it('Disk > 90 % → warning → alert: a resource_warning, exit status 1, no heal', async () => {
    const t = setup({}, { statfs: DISK_932 });
    const result = await runCycle(t.config, t.deps);
    expect(result.status).toBe(1);
    const [check, warning, ...rest] = t.records();
    expect(rest).toEqual([]);
    expect(check!.reasons).toEqual(['disk_warning (93.2%)']);
    expect(warning).toEqual({ event: 'resource_warning', ts: check!.ts, reasons: ['disk_warning (93.2%)'], cpu: 0, mem: 30, disk: 93.2 });
  });

  it('several findings at once: one trigger with every heal reason in table order, and the warning', async () => {
    server.setMode({ kind: 'status', status: 'Degraded' });
    try {
      const t = setup({}, { stats: [STAT_A, STAT_B], statfs: DISK_932 });
      const result = await runCycle(t.config, t.deps);
      expect(result.status).toBe(2);
      const events = t.records().slice(1).map((r) => [r.event, r.reasons ?? r.why]);
      expect(events).toEqual([
        ['anomaly_trigger', ['health_unhealthy (status=Degraded)', 'cpu_critical (95.0%)']],
        ['resource_warning', ['disk_warning (93.2%)']],
        ['heal_suppressed', 'no_command'],
      ]);
    } finally {
      server.setMode({ kind: 'healthy' });
    }
  });

  it('sends triggers and warnings to alert.command as JSON on stdin; a failing alert only warns', async () => {
    const out = join(tmpdir(), `ag-alert-${process.pid}-${Date.now()}.json`);
    const script = resolve('test/fixtures/scripts/record-stdin.mjs');
    const t = setup({ alert: { command: [process.execPath, script, out] } }, { statfs: DISK_932 });
    await runCycle(t.config, t.deps);
    const sent = JSON.parse(readFileSync(out, 'utf8'));
    expect(sent).toEqual(t.records()[1]);
    rmSync(out, { force: true });

    const failing = setup({ alert: { command: [process.execPath, resolve('test/fixtures/scripts/exit-code.mjs'), '4'] } }, { statfs: DISK_932 });
    const result = await runCycle(failing.config, failing.deps);
    expect(result.status).toBe(1);
    expect(failing.warnings.join('\n')).toMatch(/alert command failed for resource_warning/);
  });

  it('a reading that fails degrades one figure to null and says why', async () => {
    const t = setup({});
    t.deps.statfs = async () => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    };
    const result = await runCycle(t.config, t.deps);
    expect(result.status).toBe(0);
    expect(t.records()[0]!.res).toEqual({ cpu: 0, mem: 30, disk: null });
    expect(t.warnings.some((w) => w.startsWith('disk:'))).toBe(true);
  });

  it('aborts a cycle past cycle_timeout and logs cycle_timeout (status 3)', async () => {
    server.setMode({ kind: 'hang' });
    try {
      const t = setup({ cycle_timeout: '300ms', health: { url: server.url, timeout: '5s' } });
      const result = await runCycle(t.config, t.deps);
      expect(result.status).toBe(3);
      expect(result.timedOut).toBe(true);
      const records = t.records();
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ event: 'cycle_timeout', timeout_ms: 300 });
    } finally {
      server.setMode({ kind: 'healthy' });
    }
  });

  it('a heal that would outlast cycle_timeout gets the time left (kill_grace and the log write kept): timed out, CRITICAL, not UNKNOWN', async () => {
    server.setMode({ kind: 'status', status: 'Degraded' });
    try {
      const t = setup({ cycle_timeout: '1500ms', heal: { command: ['/bin/sh', resolve('test/fixtures/scripts/hang.sh')], timeout: '10s', kill_grace: '100ms', verify_after: '0s' } });
      const result = await runCycle(t.config, t.deps);
      expect(result.status).toBe(2);
      const events = t.records().map((r) => r.event ?? 'check');
      expect(events).toEqual(['check', 'anomaly_trigger', 'heal_start', 'self_heal']);
      expect(t.records()[3]).toMatchObject({ timed_out: true, signal: 'SIGTERM' });
      expect(t.records()[3]!.duration_ms).toBeLessThan(1500);
    } finally {
      server.setMode({ kind: 'healthy' });
    }
  });
});
