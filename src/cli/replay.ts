// `anomaly-guard replay [--window 20,50,100] [--sigma 2.5,3,4] [--detector a,b] [--since DUR] [--lead N]
// [-c FILE] [--json]`: re-runs the latency detector over the logged history with every combination of
// settings (the configured values by default) and says what each would have fired, kept and caught.
import { logMissing } from '../log/reader.js';
import { parseDuration } from '../config/duration.js';
import { simOptionsFromConfig } from '../config/sim-options.js';
import { GuardError } from '../errors.js';
import { configuredDetector, detectorByName } from '../forensics/detector-choice.js';
import { readReplayHistory, type ReplayHistory } from '../forensics/replay-read.js';
import { replayJson, renderReplay } from '../forensics/replay-render.js';
import { combinations, replaySetting } from '../forensics/replay.js';
import { loadForCommand } from './config-arg.js';
import { oneTarget } from './target-arg.js';

function list<T>(value: unknown, flag: string, fallback: T, parse: (item: string) => T | null, accepted: string): T[] {
  if (typeof value !== 'string') return [fallback];
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  const parsed = items.map(parse);
  const bad = items.filter((_, i) => parsed[i] === null);
  if (items.length === 0 || bad.length > 0) throw new GuardError('USAGE', `${flag} ${value}: ${bad.length > 0 ? `${bad.join(', ')} is not valid` : 'give at least one value'}`, { hint: `use a comma-separated list of ${accepted}` });
  return [...new Set(parsed as T[])];
}

const windowOf = (s: string): number | null => (/^\d+$/.test(s) && Number(s) >= 2 ? Number(s) : null);
const sigmaOf = (s: string): number | null => (Number.isFinite(Number(s)) && Number(s) > 0 ? Number(s) : null);

function leadOf(value: unknown): number {
  if (value === undefined) return 5;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new GuardError('USAGE', `--lead ${String(value)} is not a number of checks`, { hint: 'use a whole number of 1 or more, e.g. --lead 5' });
  return n;
}

function sinceOf(value: unknown): number {
  if (value === undefined) return Number.NEGATIVE_INFINITY;
  const ms = parseDuration(value);
  if (ms === null || ms <= 0) throw new GuardError('USAGE', `--since ${String(value)} is not a duration`, { hint: 'use e.g. --since 24h, --since 7d or --since 90m' });
  return Date.now() - ms;
}

async function readHistory(logFile: string): Promise<ReplayHistory> {
  if (logMissing(logFile)) throw new GuardError('LOG_MISSING', `no log yet at ${logFile}`, { hint: 'run `anomaly-guard check` (or start the daemon) first, or point -c at the right config' });
  try {
    return await readReplayHistory(logFile);
  } catch (err) {
    throw new GuardError('LOG_UNREADABLE', (err as Error).message, { hint: 'point log_file at a file this user can read' });
  }
}

/** Replays every combination and prints the table (or --json). */
export default async function replay(opts: Record<string, unknown>): Promise<number> {
  const range = { sinceMs: sinceOf(opts.since), lead: leadOf(opts.lead) };
  const config = oneTarget(await loadForCommand(opts, 'replay'), opts.target, 'replay');
  const detectorName = configuredDetector(config);
  const specs = list(opts.detector, '--detector', detectorName, (s) => s, 'detector names').map((name) => detectorByName(name, '--detector'));
  const windows = list(opts.window, '--window', config.latency.window, windowOf, 'whole numbers of 2 or more, e.g. 20,50,100');
  const sigmas = list(opts.sigma, '--sigma', config.latency.sigma, sigmaOf, 'numbers above 0, e.g. 2.5,3,4');
  const history = await readHistory(config.logFile);
  const base = simOptionsFromConfig(config);
  const settings = combinations(specs, windows, sigmas, { window: config.latency.window, sigma: config.latency.sigma });
  const results = settings.map((s) => replaySetting(history, s, base, range));
  const configured = results.findIndex((r) => r.detector === detectorName && r.window === config.latency.window && r.sigma === config.latency.sigma);
  const report = { logFile: config.logFile, history, range, sinceText: typeof opts.since === 'string' ? opts.since : null, results, configured };
  process.stdout.write(`${opts.json ? JSON.stringify(replayJson(report)) : renderReplay(report)}\n`);
  if (history.skipped > 0) process.stderr.write(`anomaly-guard replay: skipped ${history.skipped} unreadable line(s) in ${config.logFile}\n`);
  return 0;
}
