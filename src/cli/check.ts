// `anomaly-guard check`: loads the config, starts the CPU sample at once, and loads the rest of the
// cycle while the sample runs, so a one-shot check costs start-up plus cpu_sample.
import { systemClock } from '../effects/clock.js';
import { startHostSample } from '../cycle/host-sample.js';
import { procfsReader, readTextFile } from '../effects/procfs.js';
import { nodeStatfs } from '../effects/statfs.js';
import { loadForCommand } from './config-arg.js';

/** Runs one cycle and returns the exit status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). */
export default async function check(opts: Record<string, unknown>): Promise<number> {
  const config = await loadForCommand(opts, 'check');
  const stopSample = new AbortController();
  const deps = { procfs: procfsReader(config.resources.procfs), statfs: nodeStatfs, clock: systemClock(), readFile: readTextFile };
  const hostSample = startHostSample(config, deps, stopSample.signal);
  hostSample.catch(() => undefined); // observed by the cycle; a cycle that fails first must not leave it unhandled
  try {
    const { runCheck } = await import('./check-run.js');
    return await runCheck(config, opts, hostSample);
  } finally {
    stopSample.abort();
  }
}
