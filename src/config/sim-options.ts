// The settings of a simulated guard (score, replay, the NAB evaluation) from a loaded config: the latency
// detector, latency.confirm of latency.confirm_of, heal.grace and the heal budget.
import type { GuardSimOptions } from '../core/detectors/simulate.js';
import type { GuardConfig } from './config.js';

/** The simulation settings of a loaded config (heal.command is taken as set: a heal can run). */
export function simOptionsFromConfig(config: GuardConfig): GuardSimOptions {
  const { latency: l, heal: h } = config;
  return {
    detector: { window: l.window, sigma: l.sigma, minSamples: l.minSamples, minStdevMs: l.minStdevMs },
    confirm: { confirm: l.confirm, of: l.confirmOf },
    heal: { cooldownMs: h.cooldownMs, maxPerHour: h.maxPerHour, backoff: h.backoff ? { maxCycles: h.backoffMax, resetMs: h.backoffResetMs } : null, graceMs: h.graceMs },
  };
}
