// GET /healthz: the guard's own health, for a load balancer, systemd or a blackbox probe. Ok while the
// last cycle (one that did not fail with an error) ended within maxCycleAgeMs; before the first one, while
// the daemon is younger than that.
import type { GuardConfig } from '../config/config.js';
import { maxCycleAgeMs } from '../core/cadence.js';
import type { LiveState } from './live.js';

/** The body of /healthz (200 when ok, else 503). */
export interface HealthBody {
  ok: boolean;
  /** Seconds since the last completed cycle ended; null before the first one. */
  last_cycle_age_s: number | null;
  /** The age past which the guard counts as stuck. */
  max_age_s: number;
  cycles: number;
}

/** Judges the guard's own health at `nowMs`. */
export function healthBody(config: GuardConfig, live: LiveState, nowMs: number): HealthBody {
  const maxAgeMs = maxCycleAgeMs(config, nowMs);
  const since = live.lastCompletedMs ?? live.startedAtMs;
  const ageMs = Math.max(0, nowMs - since);
  const seconds = (ms: number): number => Math.round(ms) / 1000;
  return {
    ok: ageMs <= maxAgeMs,
    last_cycle_age_s: live.lastCompletedMs === null ? null : seconds(ageMs),
    max_age_s: seconds(maxAgeMs),
    cycles: live.cycles,
  };
}
