// The machine's load during a `npm run bench:harm` run: the 1-minute load average every 5 s, and the busy
// share of all CPUs over the whole run (from /proc/stat, as the guard computes it).
import fs from 'node:fs';
import os from 'node:os';

// [busy, total] jiffies of the "cpu" line (busy = total - idle - iowait).
function cpuTicks() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = fields.reduce((a, b) => a + b, 0);
  return [total - fields[3] - fields[4], total];
}

/** Starts sampling; stop() returns {cores, load1: {min, median, max}, cpuBusyPct}. */
export function loadSampler() {
  const samples = [os.loadavg()[0]];
  const timer = setInterval(() => samples.push(os.loadavg()[0]), 5000);
  const [busy0, total0] = cpuTicks();
  return {
    stop() {
      clearInterval(timer);
      const [busy1, total1] = cpuTicks();
      const sorted = [...samples].sort((a, b) => a - b);
      const r1 = (x) => Math.round(x * 10) / 10;
      return {
        cores: os.availableParallelism(),
        load1: { min: r1(sorted[0]), median: r1(sorted[Math.floor(sorted.length / 2)]), max: r1(sorted.at(-1)) },
        cpuBusyPct: r1((100 * (busy1 - busy0)) / Math.max(1, total1 - total0)),
      };
    },
  };
}
