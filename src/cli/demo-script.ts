// The demo's script: which fault is injected at which cycle, and the demo service's guard config.
import { join } from 'node:path';

/** One scripted fault; `label` names it in the summary (the mode, unless two faults share one). */
export interface ScriptedFault {
  cycle: number;
  mode: 'spike' | 'degraded' | 'hang' | 'crash';
  label?: string;
  query?: Record<string, string>;
  says: string;
}

/** Warm-up, then a blip the guard must leave alone and one fault of each kind with room for the heal to
 * bring the service back. */
export const DEMO_SCRIPT: readonly ScriptedFault[] = [
  { cycle: 11, mode: 'spike', label: 'blip', query: { ms: '400', count: '1' }, says: 'one slow answer (+400 ms): a blip the re-probe should dismiss, nothing to heal' },
  { cycle: 13, mode: 'spike', label: 'slowdown', query: { ms: '400', count: '20' }, says: 'a lasting slowdown: every answer takes +400 ms until the service restarts' },
  { cycle: 17, mode: 'degraded', says: 'the service starts answering {"status":"Degraded"}' },
  { cycle: 21, mode: 'hang', says: 'the service stops answering (requests hang)' },
  { cycle: 25, mode: 'crash', says: 'the service process crashes (it exits; requests are reset or refused)' },
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
    // profile safe (the default): re-probes confirm a fault before it counts; spaced short for a 1.5 s cadence.
    health: { url: `http://127.0.0.1:${port}/health`, timeout: '1s', confirm_spacing: '200ms' },
    latency: { window: 30, sigma: 3, min_samples: 8, min_stdev_ms: 5 },
    resources: { cpu_sample: '250ms' },
    // The demo is about the service: this host's own CPU/mem/disk only warn, they never restart the demo.
    actions: { unhealthy: 'heal', latency: 'heal', cpu: 'alert', mem: 'alert', disk: 'alert' },
    // Faults come every few seconds here: each is its own incident (backoff_reset), and the next may follow a heal soon (grace).
    heal: { command: heal, timeout: '15s', kill_grace: '2s', cooldown: '0s', max_per_hour: 30, verify_after: '500ms', grace: '1s', backoff_reset: '3s' },
  };
}
