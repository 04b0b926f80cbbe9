// The scheduler's series of /metrics (lag histogram, skipped cycles) per target (issue 12): a reload that
// removes a target drops its series, a cycle of it still in flight at the reload is not counted, and the
// targets that stay keep theirs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GuardConfig } from '../../src/config/config.js';
import { validateConfig } from '../../src/config/load.js';
import { guardMetrics } from '../../src/http/metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'ag-sched-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configOf(names: string[]): GuardConfig {
  const raw = { log_file: 'logs/guard.ndjson', health: { url: 'http://127.0.0.1:9/health' }, targets: names.map((name) => ({ name, health: { url: `http://127.0.0.1:9/${name}` } })) };
  return validateConfig(raw, { file: null, baseDir: dir }).config;
}

// A cycle of `target` as the daemon's loop reports it: started `lagMs` late, with `skipped` ticks skipped.
const report = (target: GuardConfig, lagMs: number, skipped: number) => ({ cycle: 1, config: target, startedMs: 0, endedMs: 1, durationMs: 1, result: null, error: 'x', schedule: { lagMs, skipped } });

describe('scheduler metrics after a reload', () => {
  it('a reload without target b: /metrics has no target="b" series; a stays; b\'s cycle in flight is not counted', async () => {
    let config = configOf(['a', 'b']);
    const metrics = guardMetrics({ version: '0.1.0-test', startedAtMs: Date.now(), config: () => config });
    const [a, b] = config.targets as [GuardConfig, GuardConfig];
    metrics.observe(report(a, 5, 0));
    metrics.observe(report(b, 7, 2));
    const before = await metrics.registry.metrics();
    expect(before).toContain('anomaly_guard_scheduler_skipped_cycles_total{target="b"} 2');
    expect(before).toContain('anomaly_guard_scheduler_lag_seconds_count{target="b"} 1');
    config = configOf(['a']);
    metrics.observe(report(config.targets[0] as GuardConfig, 5, 1));
    metrics.observe(report(b, 7, 3)); // in flight at the reload, ended after it
    const after = await metrics.registry.metrics();
    expect(after).not.toContain('target="b"');
    expect(after).toContain('anomaly_guard_scheduler_skipped_cycles_total{target="a"} 1');
    expect(after).toContain('anomaly_guard_scheduler_lag_seconds_count{target="a"} 2');
  });
});
