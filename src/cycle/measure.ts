// The measuring half of a cycle: the log's tail is read first (a synchronous read must not delay the probe
// and so bias its latency), then the probe runs while the host sample (already started) finishes. A failed
// probe is re-probed (health.confirm) and an anomalous latency re-measured (latency.confirm_probes) before
// either counts, within the first half of cycle_timeout so the heal keeps its time.
import type { GuardConfig } from '../config/config.js';
import type { History } from '../core/history.js';
import { judgeLatency, type LatencyJudgement } from '../core/latency-judge.js';
import type { ProbeResult } from '../probes/health.js';
import { probeService } from '../probes/probe.js';
import type { HostSample } from '../probes/host.js';
import type { ServiceSample } from '../probes/service.js';
import { startHostSample, startServiceSample, usablePrevious, type StartedHostSample } from './host-sample.js';
import type { CycleDeps } from './deps.js';
import { readHistory } from './read-history.js';
import { REASON_PREFIX, reasonType } from '../core/kinds.js';
import { merged } from '../core/merged.js';

/** A quick re-probe made to confirm a latency anomaly, with its verdict against the same baseline. */
export interface Reprobe {
  probe: ProbeResult;
  /** Slow beyond the baseline too (or failed): the anomaly stands. */
  anomalous: boolean;
}

/** What a cycle measured. */
export interface Measurement {
  probe: ProbeResult;
  /** Probes made: 1, or more when health.confirm re-probed a failure. */
  attempts: number;
  host: HostSample;
  /** The service's own figures (resources.service), or null. */
  service: ServiceSample | null;
  history: History;
  /** Unreadable lines skipped while reading the log tail. */
  skippedLines: number;
  /** The verdict on the probe's latency; null when the probe failed. */
  latency: LatencyJudgement | null;
  /** Re-probes of an anomalous latency (latency.confirm_probes), in order; they stop at the first normal one. */
  reprobes: Reprobe[];
  /** How long the guard's own event loop was stalled while it probed (ms); 0 or absent = not at all. */
  stalledMs?: number;
}

/** Probes the service once with the probe its URL names: http(s), tcp or tls (also used for the verification after a
 * heal); `timeoutMs` may shorten health.timeout; a `suspect` probe waits in the suspects' lane of the daemon's slots. */
export async function probeOnce(config: GuardConfig, deps: CycleDeps, signal: AbortSignal, timeoutMs = config.health.timeoutMs, suspect = false): Promise<ProbeResult> {
  const ca = config.health.caFile === null ? undefined : await deps.readFile(config.health.caFile);
  const h = config.health;
  // The wait for a slot (the daemon's cap on probes in flight) comes before the probe's clock: it is logged, not timed.
  const slot = await deps.probeSlot?.(signal, suspect);
  try {
    const result = await probeService(
      { url: h.url, headers: h.headers, timeoutMs: Math.min(timeoutMs, h.timeoutMs), expectStatus: h.expectStatus, conditions: h.conditions, send: h.send, expect: h.expect, signal, ...(ca !== undefined ? { ca } : {}) },
      { http: deps.http, tcp: deps.tcp, clock: deps.clock },
    );
    return slot !== undefined && slot.waitedMs > 0 ? merged(result, { queuedMs: slot.waitedMs }) : result;
  } finally {
    slot?.release();
  }
}

/** Reads the history, probes (confirming a failure or an anomaly within `confirmUntilMono`) and collects the host
 * sample; a sample already started (a one-shot check starts it before loading the rest of the program) is used. */
export async function measure(config: GuardConfig, deps: CycleDeps, signal: AbortSignal, confirmUntilMono: number, started?: StartedHostSample): Promise<Measurement> {
  let read: { history: History; skipped: number };
  let host: StartedHostSample | undefined = started;
  try {
    read = readHistory(config, deps);
  } catch (error) {
    host?.tell(null);
    await host?.sample.catch(() => undefined); // settle it before the error leaves it unobserved
    throw error;
  }
  const previous = usablePrevious(config, read.history.lastCpu, deps.clock.nowMs());
  host ??= startHostSample(config, deps, signal);
  host.tell(previous);
  const sample = host.sample;
  const service = startServiceSample(config, deps, read.history.lastService, signal);
  let probed: Awaited<ReturnType<typeof probeConfirmed>>;
  const span = deps.stallSpan?.();
  try {
    probed = await probeConfirmed(config, deps, signal, confirmUntilMono, read.history);
  } catch (error) {
    span?.end();
    await Promise.allSettled([sample, service]);
    throw error;
  }
  const stalledMs = span?.end() ?? 0;
  const measured = merged(probed, { host: await sample, service: await service, history: read.history, skippedLines: read.skipped });
  return stalledMs > 0 ? merged(measured, { stalledMs }) : measured;
}

// Whether one more probe, spaced confirm_spacing, still ends (at its timeout) before the confirmation deadline.
function roomFor(config: GuardConfig, deps: CycleDeps, untilMono: number): boolean {
  return deps.clock.monoMs() + config.health.confirmSpacingMs + config.health.timeoutMs <= untilMono;
}

/** Probes; a failure is re-probed health.confirm times and counts only if every probe fails; an anomalous latency is
 * re-measured latency.confirm_probes times and stands only if every re-probe is anomalous (or fails). */
async function probeConfirmed(config: GuardConfig, deps: CycleDeps, signal: AbortSignal, untilMono: number, history: History) {
  // A target whose previous check failed probes in the suspects' lane (a hanging service holds its slot until the
  // timeout), and so does every re-probe: healthy targets never queue behind them.
  let probe = await probeOnce(config, deps, signal, undefined, failedLastTime(history));
  let attempts = 1;
  while (!probe.ok && attempts <= config.health.confirm && roomFor(config, deps, untilMono)) {
    await deps.clock.sleep(config.health.confirmSpacingMs, signal);
    probe = await probeOnce(config, deps, signal, undefined, true);
    attempts += 1;
  }
  const latency = probe.ok ? judgeLatency(config.latency, history.window, probe.latencyMs) : null;
  const reprobes: Reprobe[] = [];
  if (latency?.anomaly) {
    while (reprobes.length < config.latency.confirmProbes && roomFor(config, deps, untilMono)) {
      await deps.clock.sleep(config.health.confirmSpacingMs, signal);
      const again = await probeOnce(config, deps, signal, undefined, true);
      const anomalous = !again.ok || judgeLatency(config.latency, history.window, again.latencyMs).anomaly !== null;
      reprobes.push({ probe: again, anomalous });
      if (!anomalous) break;
    }
  }
  return { probe, attempts, latency, reprobes };
}

// Whether the previous check's findings (as the history holds them) say its probe failed.
function failedLastTime(history: History): boolean {
  return history.recentReasons[0]?.some((reason) => reasonType(reason) === REASON_PREFIX.unhealthy) ?? false;
}
