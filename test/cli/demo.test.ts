// The demo as a newcomer runs it, cut short: it starts the demo service, guards it, prints a summary,
// leaves a log that status reads, and leaves no service process behind.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../helpers/guard-env.js';

it('demo --duration 4s guards the demo service and cleans up after itself', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ag-demo-'));
  try {
    const run = await runCli(['demo', '--duration', '4s', '--dir', dir], { timeoutMs: 30_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^demo service \(pid \d+\) on http:\/\/127\.0\.0\.1:\d+\/health/);
    expect(run.stdout).toMatch(/check +ok/);
    expect(run.stdout).toMatch(/^summary: \d+ cycles, 0 anomaly triggers/m);
    const config = join(dir, 'anomaly-guard.yaml');
    expect(existsSync(config)).toBe(true);
    const status = await runCli(['status', '-c', config, '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).latest_check.lat.ok).toBe(true);
    const pid = Number(/demo service \(pid (\d+)\)/.exec(run.stdout)?.[1]);
    expect(alive(pid)).toBe(false);
    expect(readServicePid(dir)).toBe(0); // stopped cleanly: the service removed its pid file
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function readServicePid(dir: string): number {
  const file = join(dir, 'service', 'service.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !/ Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

it('refuses a bad --duration (usage, exit 2)', async () => {
  const run = await runCli(['demo', '--duration', 'forever']);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--duration forever is not a duration');
});
