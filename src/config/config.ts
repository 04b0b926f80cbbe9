// The normalised config every other module receives: durations in ms, paths absolute, names in camelCase.
import type { ListenAddress } from './listen.js';
import type { Profile } from './profiles.js';
import type { Condition } from '../core/conditions/types.js';
import type { Action, FindingKind } from './schema.js';

/** Whose CPU and memory the cpu / mem findings judge (resources.service): a systemd unit's cgroup, a cgroup v2
 * folder, or the process tree of a pid file; `name` is how reasons and records call it. */
export interface ServiceTarget {
  kind: 'unit' | 'cgroup' | 'pid_file';
  path: string;
  name: string;
}

/** The guard's configuration after load, validation and normalisation. */
export interface GuardConfig {
  /** The config file it came from, or null when the defaults alone are used. */
  file: string | null;
  /** Relative paths were resolved against this folder. */
  baseDir: string;
  /** The target's name (`targets:`), or null for the guard itself: a config without targets is one target. */
  target: string | null;
  /** Each target's own config (the top level merged under its keys, its own log file); [] without `targets:`. */
  targets: GuardConfig[];
  /** Which defaults the profile-dependent keys took (a key written in the file wins). */
  profile: Profile;
  intervalMs: number;
  /** A cron expression that replaces intervalMs when set. */
  schedule: string | null;
  cycleTimeoutMs: number;
  /** The daemon's cap on probes in flight at once, over every target (a wait for a slot is not timed). */
  maxConcurrentProbes: number;
  logFile: string;
  schedulerLog: string;
  health: {
    url: string;
    timeoutMs: number;
    expectStatus: string;
    /** Gatus-syntax conditions, all of which must hold; [] = the seed's rule (2xx and status == expectStatus). */
    conditions: Condition[];
    /** Text written to a tcp:// or tls:// peer after connecting ("" = none). */
    send: string;
    /** Text the tcp:// or tls:// peer's reply must contain ("" = none). */
    expect: string;
    headers: Record<string, string>;
    caFile: string | null;
    confirm: number;
    confirmSpacingMs: number;
    /** The daemon probes over one shared keep-alive connection pool (a one-shot check always connects anew). */
    keepAlive: boolean;
  };
  latency: {
    window: number;
    sigma: number;
    minSamples: number;
    minStdevMs: number;
    detector: string;
    confirm: number;
    confirmOf: number;
    /** Quick re-probes that must also be anomalous before a latency finding counts (0 = the first sample decides). */
    confirmProbes: number;
    /** all: every ok latency enters the baseline (the seed); normal: not anomalous ones, nor those of a cycle with a heal finding. */
    learn: 'all' | 'normal';
    /** alert: a latency finding while the host's CPU or memory is past its threshold only alerts (the slowness is the host's). */
    onBusyHost: 'heal' | 'alert';
  };
  resources: {
    procfs: string;
    diskPath: string;
    cpuSampleMs: number;
    /** interval: CPU over the span since the previous check when it is recent; sample: always over cpuSampleMs. */
    cpuOver: 'interval' | 'sample';
    cpuCritical: number;
    memCritical: number;
    diskWarning: number;
    cgroup: string | null;
    confirm: number;
    confirmOf: number;
    /** The service's own figures decide cpu / mem findings; null = the host's. */
    service: ServiceTarget | null;
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
