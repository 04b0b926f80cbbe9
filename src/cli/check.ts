// `anomaly-guard check`: loads the config, starts the CPU sample at once, and loads the rest of the
// cycle while the sample runs, so a one-shot check costs start-up plus cpu_sample.
import { join } from 'node:path';
import { systemClock } from '../effects/clock.js';
import { startHostSample } from '../cycle/host-sample.js';
import { procfsReader, readTextFile } from '../effects/procfs.js';
import { nodeStatfs } from '../effects/statfs.js';
import { GuardError } from '../errors.js';
import { loadForCommand } from './config-arg.js';
import { chosenTargets } from './target-arg.js';
import { unknownLine } from './plugin-output.js';
import { takeEarlyStat } from './early-stat.js';

const DEFAULT_STAT = '/proc/stat';

/** Runs one cycle and returns the exit status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). A check that cannot
 * run still prints its plugin line (`UNKNOWN - <why>`, without --json); the error then goes on to stderr. */
export default async function check(opts: Record<string, unknown>): Promise<number> {
  try {
    return await checkOnce(opts);
  } catch (err) {
    if (!opts.json) process.stdout.write(`${unknownLine(whyUnknown(err))}\n`);
    throw err;
  }
}

// The error in one line: its message and the first problem behind it (the first line of a caret display).
function whyUnknown(err: unknown): string {
  if (!(err instanceof GuardError)) return `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  const first = err.details[0]?.split('\n')[0];
  return first === undefined ? err.message : `${err.message}: ${first}`;
}

async function checkOnce(opts: Record<string, unknown>): Promise<number> {
  // The CPU sample's first reading of the usual /proc/stat was taken as the process started (main.ts),
  // before commander and the config (a YAML parser alone costs ~25 ms); it is used when resources.procfs is /proc.
  const clock = systemClock();
  const early = takeEarlyStat() ?? { text: readTextFile(DEFAULT_STAT), atMs: clock.monoMs() };
  early.text.catch(() => undefined);
  const loaded = await loadForCommand(opts, 'check');
  if (loaded.targets.length > 0 && opts.target === undefined) {
    const { checkTargets } = await import('./check-targets.js');
    return checkTargets(loaded.targets, opts);
  }
  const config = chosenTargets(loaded, opts.target)[0] as typeof loaded;
  const stopSample = new AbortController();
  const deps = { procfs: procfsReader(config.resources.procfs), statfs: nodeStatfs, clock, readFile: readTextFile };
  const firstStat = join(config.resources.procfs, 'stat') === DEFAULT_STAT ? early : undefined;
  const hostSample = startHostSample(config, deps, stopSample.signal, firstStat);
  hostSample.sample.catch(() => undefined); // observed by the cycle; a cycle that fails first must not leave it unhandled
  try {
    const { runCheck } = await import('./check-run.js');
    return await runCheck(config, opts, hostSample);
  } finally {
    stopSample.abort();
  }
}
