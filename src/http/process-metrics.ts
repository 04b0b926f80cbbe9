// The standard process metrics of Prometheus client libraries (process_cpu_seconds_total, resident
// memory, start time, open file descriptors), computed when scraped: no timers, no observers.
import { readdirSync } from 'node:fs';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Registers the process metrics on `registry`; `startedAtMs` is the process start (epoch ms). */
export function registerProcessMetrics(registry: Registry, startedAtMs: number): void {
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    registers: [registry],
    collect() {
      const { user, system } = process.cpuUsage();
      this.reset();
      this.inc((user + system) / 1e6);
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers: [registry],
    collect() {
      this.set(process.memoryUsage.rss());
    },
  });
  new Gauge({ name: 'process_start_time_seconds', help: 'Start time of the process since unix epoch in seconds.', registers: [registry] }).set(Math.round(startedAtMs / 1000));
  new Gauge({
    name: 'process_open_fds',
    help: 'Number of open file descriptors.',
    registers: [registry],
    collect() {
      this.set(openFds());
    },
  });
}

// /proc/self/fd lists the descriptors (Linux); elsewhere the figure is NaN, never an error.
function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length - 1; // the listing's own descriptor
  } catch {
    return Number.NaN;
  }
}
