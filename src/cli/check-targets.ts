// `anomaly-guard check` of a config with `targets:`: one cycle for every target at once (at most
// CONCURRENCY in flight), the host's files read once for all of them, each target's records in its own
// log; then one plugin line for the whole guard and each target's summary under its name.
import type { GuardConfig } from '../config/config.js';
import { STATUS_WORDS, type CheckStatus } from '../core/decision/status.js';
import { visible, visibleJson, visibleLines } from '../core/terminal-text.js';
import { runCycle, type CycleResult } from '../cycle/check-cycle.js';
import { startHostSample } from '../cycle/host-sample.js';
import { systemClock } from '../effects/clock.js';
import { procfsReader } from '../effects/procfs.js';
import { sharedReads } from '../effects/shared-reads.js';
import { nodeStatfs } from '../effects/statfs.js';
import { alertOnce, asLogError } from './check-run.js';
import { realCycleDeps } from './real-deps.js';
import { pluginLine } from './plugin-output.js';
import { renderCycle } from './render-cycle.js';

/** Targets checked at once; the rest wait for a free place. */
export const CONCURRENCY = 64;

/** How bad a status is for the whole guard: OK < WARNING < UNKNOWN < CRITICAL (a heal finding is the worst). */
const RANK: Record<CheckStatus, number> = { 0: 0, 1: 1, 3: 2, 2: 3 };

/** The worst of the targets' statuses (OK for none). */
export function worstStatus(statuses: CheckStatus[]): CheckStatus {
  return statuses.reduce<CheckStatus>((worst, s) => (RANK[s] > RANK[worst] ? s : worst), 0);
}

type Outcome = { config: GuardConfig; result: CycleResult | null; error: string | null };

/** Checks every target; prints the guard's plugin line and each target's summary (or every record with --json). */
export async function checkTargets(targets: GuardConfig[], opts: Record<string, unknown>): Promise<number> {
  const clock = systemClock();
  // Shared for less than the shortest CPU sample, so its two readings stay two.
  const freshMs = Math.min(250, ...targets.map((t) => t.resources.cpuSampleMs / 2));
  const shared = sharedReads(clock, nodeStatfs, freshMs);
  const procfsRoots = new Map<string, ReturnType<typeof procfsReader>>();
  const procfsOf = (root: string) => procfsRoots.get(root) ?? procfsRoots.set(root, procfsReader(root)).get(root)!;
  const outcomes = await inBatches(targets, CONCURRENCY, (t) => checkOne(t, opts, { procfs: shared.procfs(procfsOf(t.resources.procfs)), statfs: shared.statfs }));
  const statuses = outcomes.map((o) => (o.result === null ? 3 : o.result.status) as CheckStatus);
  const status = worstStatus(statuses);
  if (opts.json) {
    const lines = outcomes.flatMap((o) => o.result?.records ?? []).map((r) => visibleJson(JSON.stringify(r)));
    if (lines.length > 0) process.stdout.write(`${lines.join('\n')}\n`);
  } else {
    process.stdout.write(`${visibleLines(guardSummary(outcomes, statuses, status))}\n`);
  }
  return status;
}

async function checkOne(config: GuardConfig, opts: Record<string, unknown>, reads: { procfs: ReturnType<typeof procfsReader>; statfs: typeof nodeStatfs }): Promise<Outcome> {
  const warn = (line: string): void => void process.stderr.write(`anomaly-guard check [${config.target}]: ${visible(line)}\n`);
  const deps = { ...realCycleDeps(config, warn), ...reads };
  const stop = new AbortController();
  try {
    const hostSample = startHostSample(config, deps, stop.signal);
    hostSample.sample.catch(() => undefined);
    const dryRun = opts.dryRun === true;
    const result = await runCycle(config, deps, { hostSample, dryRun });
    if (!dryRun) await alertOnce(config, deps, result, warn);
    return { config, result, error: null };
  } catch (err) {
    // One target that cannot run is that target's UNKNOWN; the others go on.
    const e = asLogError(err) as Error;
    warn(e?.message ?? String(err));
    return { config, result: null, error: e?.message ?? String(err) };
  } finally {
    stop.abort();
    deps.close();
  }
}

// The plugin line names the targets that are not OK, worst first; each target's own summary follows.
function guardSummary(outcomes: Outcome[], statuses: CheckStatus[], status: CheckStatus): string {
  const order = outcomes.map((o, i) => ({ o, s: statuses[i] as CheckStatus })).sort((a, b) => RANK[b.s] - RANK[a.s]);
  const bad = order.filter((x) => x.s !== 0).map((x) => `${x.o.config.target} ${STATUS_WORDS[x.s]}`);
  const counts = `${outcomes.length} targets, ${outcomes.length - bad.length} OK`;
  const head = `${STATUS_WORDS[status]} - ${bad.length > 0 ? `${bad.join(', ')} (${counts})` : counts}`;
  const perf = outcomes.flatMap((o) => (o.result === null ? [] : perfOf(o)));
  const blocks = order.map(({ o }) =>
    o.result === null ? `[${o.config.target}] UNKNOWN - ${o.error}` : renderCycle(o.config, o.result).split('\n').map((l) => `[${o.config.target}] ${l}`).join('\n'),
  );
  return [`${head}${perf.length > 0 ? ` | ${perf.join(' ')}` : ''}`, ...blocks].join('\n');
}

// A target's performance data, each label prefixed with its name ('api latency'=12ms;...).
function perfOf(o: Outcome): string[] {
  const first = pluginLine(o.config, o.result as CycleResult);
  const at = first.indexOf(' | ');
  if (at < 0) return [];
  return first.slice(at + 3).split(' ').filter((p) => p !== '').map((p) => `'${o.config.target} ${p.slice(0, p.indexOf('='))}'${p.slice(p.indexOf('='))}`);
}

// Runs fn over items with at most `limit` in flight; results in the items' order.
async function inBatches<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
