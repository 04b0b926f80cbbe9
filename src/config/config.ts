// The normalised config every other module receives: durations in ms, paths absolute, names in camelCase.
import type { Action, FindingKind } from './schema.js';

/** The guard's configuration after load, validation and normalisation. */
export interface GuardConfig {
  /** The config file it came from, or null when the defaults alone are used. */
  file: string | null;
  /** Relative paths were resolved against this folder. */
  baseDir: string;
  intervalMs: number;
  /** A cron expression that replaces intervalMs when set. */
  schedule: string | null;
  cycleTimeoutMs: number;
  logFile: string;
  schedulerLog: string;
  health: { url: string; timeoutMs: number; expectStatus: string; headers: Record<string, string>; caFile: string | null; confirm: number; confirmSpacingMs: number };
  latency: { window: number; sigma: number; minSamples: number; minStdevMs: number; detector: string; confirm: number; confirmOf: number };
  resources: {
    procfs: string;
    diskPath: string;
    cpuSampleMs: number;
    cpuCritical: number;
    memCritical: number;
    diskWarning: number;
    cgroup: string | null;
    confirm: number;
    confirmOf: number;
  };
  actions: Record<FindingKind, Action>;
  heal: {
    command: string[];
    timeoutMs: number;
    killGraceMs: number;
    cooldownMs: number;
    maxPerHour: number;
    verifyAfterMs: number;
    graceMs: number;
    backoff: boolean;
    backoffMax: number;
    backoffResetMs: number;
    stopWhenExhausted: boolean;
    resumeAfterMs: number;
  };
  alert: { command: string[]; webhook: string; timeoutMs: number; repeatMs: number };
  heartbeat: { url: string; timeoutMs: number };
}
