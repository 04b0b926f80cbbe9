// The measuring half of a cycle: the history read, then the probe while the host sample runs, so a
// one-shot check costs start-up plus the CPU sample.
import type { GuardConfig } from '../config/config.js';
import { healLookbackMs } from '../core/heal-policy.js';
import { historyCollector, type History } from '../core/history.js';
import { probeHealth, type ProbeResult } from '../probes/health.js';
import type { HostSample } from '../probes/host.js';
import { historyWindow } from '../core/detectors/run.js';
import { startHostSample } from './host-sample.js';
import type { CycleDeps } from './deps.js';

/** What a cycle measured. */
export interface Measurement {
  probe: ProbeResult;
  /** Probes made: 1, or more when health.confirm re-probed a failure. */
  attempts: number;
  host: HostSample;
  history: History;
  /** Unreadable lines skipped while reading the log tail. */
  skippedLines: number;
}

/** Probes the health endpoint once (also used for the verification after a heal). */
export async function probeOnce(config: GuardConfig, deps: CycleDeps, signal: AbortSignal): Promise<ProbeResult> {
  const ca = config.health.caFile === null ? undefined : await deps.readFile(config.health.caFile);
  const h = config.health;
  return probeHealth(
    { url: h.url, headers: h.headers, timeoutMs: h.timeoutMs, expectStatus: h.expectStatus, signal, ...(ca !== undefined ? { ca } : {}) },
    { http: deps.http },
  );
}

/** Runs the probe and the host sample concurrently; a sample already started (a one-shot check starts
 * it before loading the rest of the program) is used as is. The history is read (synchronously) before
 * the probe starts: a request in flight meanwhile would count the read in its latency. */
export async function measure(config: GuardConfig, deps: CycleDeps, signal: AbortSignal, started?: Promise<HostSample>): Promise<Measurement> {
  const host = started ?? startHostSample(config, deps, signal);
  let read: { history: History; skipped: number } | { error: unknown };
  try {
    read = readHistory(config, deps);
  } catch (error) {
    read = { error };
  }
  if ('error' in read) {
    await Promise.allSettled([host]); // in flight: settled before the error, so it is never unobserved
    throw read.error;
  }
  const [p, h] = await Promise.allSettled([probeConfirmed(config, deps, signal), host]);
  if (p.status === 'rejected') throw p.reason;
  if (h.status === 'rejected') throw h.reason;
  return { probe: p.value.probe, attempts: p.value.attempts, host: h.value, history: read.history, skippedLines: read.skipped };
}

/** Probes; a failure is re-probed health.confirm times, health.confirm_spacing apart, and counts only if every probe fails. */
async function probeConfirmed(config: GuardConfig, deps: CycleDeps, signal: AbortSignal): Promise<{ probe: ProbeResult; attempts: number }> {
  let probe = await probeOnce(config, deps, signal);
  let attempts = 1;
  while (!probe.ok && attempts <= config.health.confirm) {
    await deps.clock.sleep(config.health.confirmSpacingMs, signal);
    probe = await probeOnce(config, deps, signal);
    attempts += 1;
  }
  return { probe, attempts };
}

function readHistory(config: GuardConfig, deps: CycleDeps): { history: History; skipped: number } {
  const h = config.heal;
  const lookbackMs = healLookbackMs({ cooldownMs: h.cooldownMs, graceMs: h.graceMs, backoffResetMs: h.backoff ? h.backoffResetMs : 0, resumeAfterMs: h.stopWhenExhausted ? h.resumeAfterMs : 0, repeatMs: config.alert.repeatMs });
  const recent = Math.max(config.latency.confirmOf, config.resources.confirmOf) - 1;
  const collector = historyCollector({ window: historyWindow(config.latency), recent, nowMs: deps.clock.nowMs(), lookbackMs });
  const stats = deps.log.readBackward(collector.visit);
  return { history: collector.result(), skipped: stats.skipped };
}
