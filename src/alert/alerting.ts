// Alerting as `check` and `run` call it: the providers of a config, and each finished cycle told to them
// the same way (a check tells one cycle, the daemon every cycle, keeping the Alertmanager's memory).
import type { GuardConfig } from '../config/config.js';
import { cadenceMs } from '../core/cadence.js';
import type { Clock } from '../effects/clock.js';
import type { HttpPost } from '../effects/http-post.js';
import type { ProcessRunner } from '../effects/process-runner.js';
import { alertmanagerMemory, alertmanagerProvider, type AlertmanagerMemory } from './alertmanager.js';
import { commandProvider } from './command.js';
import { sendAlert, type AlertChannel, type AlertDelivery, type AlertOutcome, type AlertProvider } from './provider.js';
import { webhookProvider } from './webhook.js';

/** The effects the providers use, passed in from a composition root. */
export interface AlertDeps {
  runner: ProcessRunner;
  post: HttpPost;
  sleep: Clock['sleep'];
  /** The host's name: the default `instance` label of alerts about a loopback health URL (absent: the URL's host:port). */
  hostname?: string;
}

/** Every provider of a config, in channel order; `memory` is the Alertmanager's between cycles. */
export function alertProviders(config: GuardConfig, deps: AlertDeps, memory: AlertmanagerMemory = alertmanagerMemory()): AlertProvider[] {
  return [commandProvider(config, deps), webhookProvider(config, deps), alertmanagerProvider(config, { post: deps.post, memory, ...(deps.hostname === undefined ? {} : { hostname: deps.hostname }) })];
}

/** The providers a config sets up (a channel without its settings sends nothing). */
export function configuredProviders(config: GuardConfig, deps: AlertDeps, memory?: AlertmanagerMemory): AlertProvider[] {
  return alertProviders(config, deps, memory).filter((p) => p.configured());
}

/** How long a pushed alert lasts unless renewed: a daemon's through its next cycle even when that is slow
 * (3 cycles, or 1 cycle plus cycle_timeout); a one-shot check's two intervals (the next check renews it). */
export function alertHoldMs(config: GuardConfig, endedMs: number, mode: 'once' | 'daemon'): number {
  const every = cadenceMs(config, endedMs);
  return mode === 'once' ? 2 * every : Math.max(3 * every, every + config.cycleTimeoutMs);
}

/** A finished cycle as alerting takes it (outcome null: the cycle did not finish). */
export interface CycleEnd {
  outcome: AlertOutcome | null;
  endedMs: number;
}

/** What cycle-end alerting needs: `once` (check) or `daemon` (run), the config in force, the clock, the
 * effects, and where problems and recoveries are reported. */
export interface CycleEndOptions {
  mode: 'once' | 'daemon';
  config(): GuardConfig;
  nowMs(): number;
  deps: AlertDeps;
  problem(line: string): void;
  info(line: string): void;
}

/** Tells the providers about each finished cycle. One push at a time: a cycle that ends while one is in
 * flight waits for it, and only the newest waiting cycle is pushed (an Alertmanager that hangs never piles
 * up requests). A failure is reported once until it changes or the channel works again. */
export function cycleEndAlerts(o: CycleEndOptions) {
  const memory = alertmanagerMemory();
  const tell = reporter(o);
  let inFlight: Promise<void> | null = null;
  let waiting: CycleEnd | null = null;
  // The providers of the config in force, built again only when it changes (a reload): a daemon of 10,000 targets
  // ends a thousand cycles a second. Without a channel set up, a cycle's end costs nothing more.
  let built: { config: GuardConfig; providers: AlertProvider[] } | null = null;
  const providersOf = (config: GuardConfig): AlertProvider[] => {
    if (built?.config !== config) built = { config, providers: configuredProviders(config, o.deps, memory) };
    return built.providers;
  };
  const run = async (end: CycleEnd): Promise<void> => {
    if (end.outcome === null) return;
    const config = o.config();
    const providers = providersOf(config);
    if (providers.length === 0) return;
    const event = { kind: 'cycle_end', outcome: end.outcome, nowMs: o.nowMs(), holdMs: alertHoldMs(config, end.endedMs, o.mode) } as const;
    for (const delivery of await sendAlert(providers, event)) tell(delivery);
  };
  const pump = (): void => {
    const next = waiting;
    waiting = null;
    inFlight = next === null ? null : run(next).catch((err: unknown) => o.problem(`alert: ${(err as Error)?.message ?? String(err)}`)).then(pump);
  };
  return {
    /** Takes a finished cycle; its push starts now or after the one in flight. */
    observe(end: CycleEnd): void {
      waiting = end;
      if (inFlight === null) pump();
    },
    /** Resolves once no push is in flight or waiting. */
    idle: async (): Promise<void> => {
      while (inFlight !== null) await inFlight;
    },
  };
}

function reporter(o: Pick<CycleEndOptions, 'problem' | 'info'>): (d: AlertDelivery) => void {
  const problems = new Map<AlertChannel, string | null>();
  return (d) => {
    const last = problems.get(d.channel);
    if (!d.ok && d.detail !== last) o.problem(`alert: ${d.detail ?? 'unknown error'}`);
    else if (d.ok && last !== undefined) o.info(`alert: ${d.channel} reachable again`);
    if (d.ok) problems.delete(d.channel);
    else problems.set(d.channel, d.detail);
  };
}
