// The normalised config every other module receives: durations in ms, paths absolute, names in camelCase.
import type { ListenAddress } from '../http/listen.js';
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
  alert: {
    command: string[];
    webhook: string;
    timeoutMs: number;
    repeatMs: number;
    /** Alertmanager (API v2) to push findings to; url "" = off; instance null = the health URL's host:port. */
    alertmanager: { url: string; timeoutMs: number; instance: string | null };
  };
  heartbeat: { url: string; timeoutMs: number };
  /** The daemon's HTTP server (dashboard, JSON API, /metrics, /healthz): listen null = off; token null = no auth. */
  http: { listen: ListenAddress | null; token: string | null; allowedHosts: string[] };
}
