// The heal step alone: the lock, the budget read under it, the time left before cycle_timeout, the run and its
// verification, each scenario with the records it emits. Real heal processes (tiny fixture scripts), a real
// lock file, a clock that does not move (the step's time budget is the deadline the test gives it).
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../config/load.js';
import type { BudgetState } from '../core/heal-policy.js';
import { formatTs } from '../core/format.js';
import { nodeProcessRunner } from '../effects/process-runner.js';
import { tryLock } from '../log/lock.js';
import type { AnomalyTriggerRecord, GuardRecord, HealVerifyRecord } from '../log/records.js';
import { healStep, type HealStepDeps } from './heal-step.js';

const scripts = fileURLToPath(new URL('../../test/fixtures/scripts/', import.meta.url));
const NOW = Date.parse('2026-12-04T12:00:00Z');
const trigger: AnomalyTriggerRecord = { event: 'anomaly_trigger', ts: formatTs(NOW - 1), reasons: ['health_unhealthy (HTTP 503)'], latency: 3, score: null, cpu: 1, mem: 2, disk: 3 };
const verified: HealVerifyRecord = { event: 'heal_verify', ts: formatTs(NOW), recovered: true, latency_ms: 12 };

// The lock is a symbolic link (to nothing): it is there when lstat finds it.
const there = (path: string): boolean => lstatSync(path, { throwIfNoEntry: false }) !== undefined;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-heal-step-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Scenario {
  name: string;
  heal?: Record<string, unknown>;
  budget?: BudgetState;
  /** Monotonic ms left before cycle_timeout (the clock stands at 0). */
  leftMs?: number;
  dryRun?: boolean;
  /** Another guard holds the heal lock. */
  lockHeld?: boolean;
  events: string[];
  why?: string;
  ran: boolean;
}

const scenarios: Scenario[] = [
  { name: 'allowed: heal_start, self_heal, then the verification', events: ['heal_start', 'self_heal', 'heal_verify'], ran: true },
  { name: 'verify_after 0: no verification', heal: { verify_after: '0s' }, events: ['heal_start', 'self_heal'], ran: true },
  { name: 'another guard holds the lock: in_progress, nothing run', lockHeld: true, events: ['heal_suppressed'], why: 'in_progress', ran: false },
  { name: 'a heal within the cooldown: cooldown', heal: { cooldown: '1h' }, budget: { healTimes: [NOW - 60_000] }, events: ['heal_suppressed'], why: 'cooldown', ran: false },
  { name: 'the first heal over max_per_hour: rate_limit and the budget spent', heal: { max_per_hour: 1 }, budget: { healTimes: [NOW - 600_000] }, events: ['heal_suppressed', 'heal_budget_exhausted'], why: 'rate_limit', ran: false },
  { name: 'too little of cycle_timeout left to run and stop it: no_time', leftMs: 100, events: ['heal_suppressed'], why: 'no_time', ran: false },
  { name: '--dry-run: dry_run, nothing run', dryRun: true, events: ['heal_suppressed'], why: 'dry_run', ran: false },
];

describe('the heal step', () => {
  it.each(scenarios)('$name', async (s) => {
    const marker = join(dir, 'stdin.json');
    const raw = { log_file: 'guard.ndjson', health: { url: 'http://127.0.0.1:9/health' }, heal: { command: [process.execPath, join(scripts, 'record-stdin.mjs'), marker], verify_after: '1s', ...s.heal } };
    const { config } = validateConfig(raw, { file: null, baseDir: dir });
    const lockPath = join(dir, 'heal.lock');
    const other = s.lockHeld ? tryLock(lockPath, { pid: process.pid }) : null;
    const seen = { budgetReadLocked: [] as boolean[], verifyTimeouts: [] as number[], warnings: [] as string[] };
    const deps: HealStepDeps = {
      clock: { nowMs: () => NOW, monoMs: () => 0, sleep: async () => undefined },
      runner: nodeProcessRunner({ clock: { monoMs: () => performance.now() } }),
      lockHeal: () => tryLock(lockPath),
      warn: (line) => seen.warnings.push(line),
      readBudget: () => (seen.budgetReadLocked.push(there(lockPath)), s.budget ?? { healTimes: [] }),
      verify: async (probeTimeoutMs) => (seen.verifyTimeouts.push(probeTimeoutMs), verified),
    };
    const emitted: GuardRecord[] = [];
    const req = { trigger, resumed: false, deadlineMono: s.leftMs ?? 60_000, dryRun: s.dryRun === true };
    const outcome = await healStep(config, deps, req, (r) => emitted.push(r), new AbortController().signal);
    expect(emitted.map((r) => ('event' in r ? r.event : 'check'))).toEqual(s.events);
    expect(outcome.kind).toBe(s.ran ? 'ran' : 'suppressed');
    if (s.why !== undefined) expect(emitted[0]).toMatchObject({ why: s.why });
    // The heal got the trigger on its stdin; the lock is released after the step (another guard's stays).
    expect(existsSync(marker) ? JSON.parse(readFileSync(marker, 'utf8')) : null).toEqual(s.ran ? trigger : null);
    expect(there(lockPath)).toBe(s.lockHeld === true);
    // The budget is read under the lock; not at all when another guard holds it; a dry run takes no lock.
    expect(seen.budgetReadLocked).toEqual(s.lockHeld ? [] : s.dryRun ? [false] : [true]);
    expect(seen.verifyTimeouts.length).toBe(s.events.includes('heal_verify') ? 1 : 0);
    if (other?.acquired) other.release();
  });

  it('verify_after longer than what cycle_timeout leaves: no verification, said as a warning and in the outcome', async () => {
    const raw = { log_file: 'guard.ndjson', health: { url: 'http://127.0.0.1:9/health' }, heal: { command: [process.execPath, join(scripts, 'record-stdin.mjs'), join(dir, 'stdin.json')], verify_after: '20s' } };
    const { config } = validateConfig(raw, { file: null, baseDir: dir });
    const warnings: string[] = [];
    const deps: HealStepDeps = {
      clock: { nowMs: () => NOW, monoMs: () => 0, sleep: async () => undefined },
      runner: nodeProcessRunner({ clock: { monoMs: () => performance.now() } }),
      lockHeal: () => tryLock(join(dir, 'heal.lock')),
      warn: (line) => warnings.push(line),
      readBudget: () => ({ healTimes: [] }),
      verify: async () => verified,
    };
    const outcome = await healStep(config, deps, { trigger, resumed: false, deadlineMono: 20_500, dryRun: false }, () => undefined, new AbortController().signal);
    expect(outcome).toMatchObject({ kind: 'ran', verify: null, verifySkipped: expect.stringMatching(/^only \d+ ms of cycle_timeout left for heal\.verify_after \(20000 ms\)/) });
    expect(warnings).toEqual([`heal verification skipped: ${(outcome as { verifySkipped: string }).verifySkipped}`]);
  });
});
