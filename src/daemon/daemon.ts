// `anomaly-guard run`: the daemon's composition. Takes the lock of the log, runs the scheduler until
// SIGTERM/SIGINT (the cycle in flight finishes), reloads on SIGHUP, resets the heal budget on SIGUSR1,
// and tells scheduler.log about each step.
import type { GuardConfig } from '../config/config.js';
import { formatDuration } from '../config/duration.js';
import type { LoadedConfig } from '../config/load.js';
import type { DaemonServices, DaemonView } from '../cycle/cycle-watch.js';
import { appendHealReset } from '../cycle/heal-reset.js';
import type { GuardLog } from '../log/file-log.js';
import type { Clock } from '../effects/clock.js';
import type { CycleParts } from './daemon-cycle.js';
import { takeDaemonLock } from './daemon-lock.js';
import { startLine, stopLine } from './daemon-lines.js';
import { daemonLog, type DaemonLog } from './daemon-log.js';
import { heldLog } from './held-log.js';
import { reloadConfig, reloadLine } from './reload.js';
import { targetLoops } from './target-loops.js';
import { onDaemonSignals, type SignalSource, type StopSignal } from './signals.js';

/** Everything the daemon touches outside itself. */
export interface DaemonDeps extends CycleParts {
  clock: Clock;
  signals: SignalSource;
  pid: number;
  version: string;
  /** Loads the config again from the same place (SIGHUP). */
  loadConfig(): Promise<LoadedConfig>;
  /** Opens the log file for a one-off append (SIGUSR1); close() releases it. */
  openLog(path: string): GuardLog & { close(): void };
  /** A line on stderr. */
  stderr(line: string): void;
  /** Do not echo routine scheduler.log lines on stderr. */
  quiet: boolean;
  /** Starts the services beside the cycles (HTTP server, Alertmanager push) once the lock is held. */
  startServices?(view: DaemonView): Promise<DaemonServices>;
}

interface DaemonState {
  config: GuardConfig;
  stopping: StopSignal | null;
  reloading: Promise<void>;
  loops: ReturnType<typeof targetLoops> | null;
}

/** How often before its cycles the daemon looks at its lock file, at most. */
const LOCK_CHECK_MS = 250;

/** Runs the daemon until a stop signal; resolves with the exit status (0). Throws GuardError LOCKED
 * when a live daemon holds the log. */
export async function runDaemon(config: GuardConfig, warnings: string[], deps: DaemonDeps): Promise<number> {
  const lock = takeDaemonLock(config.logFile, deps.pid);
  const log = daemonLog(config.schedulerLog, { nowMs: deps.clock.nowMs, stderr: deps.stderr, quiet: deps.quiet });
  const state: DaemonState = { config, stopping: null, reloading: Promise.resolve(), loops: null };
  const stop = new AbortController();
  let services: DaemonServices | null = null;
  // A failing handler is reported; it must never take the daemon down.
  const safe = (what: string, fn: () => void | Promise<void>) => async (): Promise<void> => {
    try {
      await fn();
    } catch (err) {
      log.problem(`${what} failed: ${(err as Error)?.message ?? String(err)}`);
    }
  };
  const stopListening = onDaemonSignals(deps.signals, {
    stop: (signal) => onStop(state, log, stop, signal),
    reload: () => void (state.reloading = state.reloading.then(safe('reload (SIGHUP)', () => reload(state, log, deps)))),
    healReset: () => void safe('SIGUSR1', () => healReset(state, log, deps))(),
  });
  try {
    log.info(startLine({ pid: deps.pid, version: deps.version, config, lockPath: lock.path }));
    for (const w of warnings) log.problem(`config warning: ${w}`);
    services = await startServices(state, log, deps);
    // The lock is the daemon's, not a target's: looked at before a cycle, at most every LOCK_CHECK_MS (10,000 targets
    // start a thousand cycles a second; one look each was 1.8 KB of garbage a cycle).
    let lockCheckedMono = Number.NEGATIVE_INFINITY;
    const beforeCycle = (): void => {
      const mono = deps.clock.monoMs();
      if (mono - lockCheckedMono < LOCK_CHECK_MS) return;
      lockCheckedMono = mono;
      const problem = lock.check();
      if (problem !== null) log.problem(problem);
    };
    state.loops = targetLoops({ parts: deps, clock: deps.clock, log, observe: () => services?.observe ?? null, beforeCycle }, stop.signal);
    state.loops.startAll(config);
    if (!stop.signal.aborted) await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    const count = await state.loops.finished();
    await state.reloading;
    log.info(stopLine(state.stopping ?? 'SIGTERM', count) + lastFlush(state, deps));
    return 0;
  } finally {
    stopListening();
    await services?.close().catch((err: unknown) => log.problem(`stopping the services failed: ${(err as Error)?.message ?? String(err)}`));
    lock.release();
  }
}

// The services are extras: one that fails to start is reported, and the guarding goes on without it.
async function startServices(state: DaemonState, log: DaemonLog, deps: DaemonDeps): Promise<DaemonServices | null> {
  if (!deps.startServices) return null;
  const view: DaemonView = { pid: deps.pid, version: deps.version, startedAtMs: deps.clock.nowMs(), nowMs: deps.clock.nowMs, config: () => state.config, info: log.info, problem: log.problem };
  try {
    return await deps.startServices(view);
  } catch (err) {
    log.problem(`services failed to start: ${(err as Error)?.message ?? String(err)}`);
    return null;
  }
}

function onStop(state: DaemonState, log: DaemonLog, stop: AbortController, signal: StopSignal): void {
  const limit = formatDuration(state.config.cycleTimeoutMs);
  const running = (state.loops?.all() ?? []).filter((l) => l.running !== null);
  const inFlight = running.map((l) => (l.name === null ? `cycle ${l.running}` : `${l.name} cycle ${l.running}`)).join(', ');
  if (state.stopping !== null) {
    const waiting = running.length === 0 ? 'stopping' : `still finishing ${inFlight} (it ends by cycle_timeout ${limit} at the latest)`;
    log.info(`${signal} again: ${waiting}`);
    return;
  }
  state.stopping = signal;
  log.info(`${signal} received: stopping${running.length === 0 ? '' : `, finishing ${inFlight} first (cycle_timeout ${limit})`}`);
  stop.abort();
}

async function reload(state: DaemonState, log: DaemonLog, deps: DaemonDeps): Promise<void> {
  const result = await reloadConfig(state.config, deps.loadConfig);
  if (!result.ok) {
    log.problem(reloadLine(result, state.config.file));
    return;
  }
  const next = result.config;
  if (next.schedulerLog !== log.path) log.moveTo(next.schedulerLog);
  log.info(reloadLine(result, next.file));
  for (const w of result.warnings) log.problem(`config warning: ${w}`);
  if (JSON.stringify(next.http.listen) !== JSON.stringify(state.config.http.listen)) log.problem('http.listen changed: the HTTP server keeps its address until the daemon restarts');
  state.config = next;
  if (state.stopping !== null || state.loops === null) return;
  const { added, removed } = state.loops.reload(next);
  if (added.length + removed.length > 0) log.info(`targets: ${[...added.map((n) => `+${n}`), ...removed.map((n) => `-${n}`)].join(' ')}`);
}

function healReset(state: DaemonState, log: DaemonLog, deps: DaemonDeps): void {
  for (const loop of state.loops?.all() ?? []) {
    const logFile = loop.config.logFile;
    const file = deps.openLog(logFile);
    const guardLog = heldLog(file, loop.queue);
    try {
      appendHealReset(guardLog, deps.clock, 'SIGUSR1', false, loop.name);
    } finally {
      file.close();
    }
    const report = guardLog.report();
    if (report.writeError === null) log.info(`SIGUSR1: heal budget reset (heal_resumed written to ${logFile})`);
    else log.problem(`SIGUSR1: heal budget reset, but the log is not writable: ${report.writeError}; heal_resumed held back (${report.held} records held)`);
  }
}

// One last try to write the held-back records before the daemon exits; says what became of them.
function lastFlush(state: DaemonState, deps: DaemonDeps): string {
  let left = 0;
  let had = 0;
  for (const loop of state.loops?.all() ?? []) {
    const queue = loop.queue;
    if (queue.entries.length === 0) continue;
    had += queue.entries.length;
    const file = deps.openLog(loop.config.logFile);
    try {
      heldLog(file, queue).flush();
    } catch {
      // A record that cannot be serialised was dropped; the count below tells the rest.
    } finally {
      file.close();
    }
    left += queue.entries.length;
    // Last resort: journald (or whoever reads stderr) keeps them.
    for (const e of queue.entries) deps.stderr(JSON.stringify(e.record));
  }
  if (had === 0) return '';
  if (left === 0) return '; held-back records written';
  return `; ${left} held-back record${left === 1 ? '' : 's'} could not be written to the log: printed on stderr as NDJSON`;
}
