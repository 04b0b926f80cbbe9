// The demo's script: which fault is injected at which cycle, and the demo service's guard config.
import { join } from 'node:path';

/** One scripted fault. */
export interface ScriptedFault {
  cycle: number;
  mode: 'spike' | 'degraded' | 'hang' | 'crash';
  query?: Record<string, string>;
  says: string;
}

/** Warm-up, then one fault of each kind with room for the heal to bring the service back. */
export const DEMO_SCRIPT: readonly ScriptedFault[] = [
  { cycle: 11, mode: 'spike', query: { ms: '400', count: '1' }, says: 'latency spike: the next response takes +400 ms' },
  { cycle: 15, mode: 'degraded', says: 'the service starts answering {"status":"Degraded"}' },
  { cycle: 19, mode: 'hang', says: 'the service stops answering (requests hang)' },
  { cycle: 23, mode: 'crash', says: 'the service process crashes (it exits; requests are reset or refused)' },
];

/** The demo's cycle spacing. */
export const DEMO_INTERVAL_MS = 1500;

/** The guard config for the demo service (as a user would write it; validated like any other). */
export function demoConfig(dir: string, port: number, heal: string[]): Record<string, unknown> {
  return {
    interval: `${DEMO_INTERVAL_MS}ms`,
    cycle_timeout: '20s',
    log_file: join(dir, 'logs', 'anomaly_guard.ndjson'),
    scheduler_log: join(dir, 'logs', 'scheduler.log'),
    health: { url: `http://127.0.0.1:${port}/health`, timeout: '1s' },
    latency: { window: 30, sigma: 3, min_samples: 8, min_stdev_ms: 5 },
    resources: { cpu_sample: '250ms' },
    // The demo is about the service: this host's own CPU/mem/disk only warn, they never restart the demo.
    actions: { unhealthy: 'heal', latency: 'heal', cpu: 'alert', mem: 'alert', disk: 'alert' },
    heal: { command: heal, timeout: '15s', kill_grace: '2s', cooldown: '0s', max_per_hour: 30, verify_after: '500ms' },
  };
}
