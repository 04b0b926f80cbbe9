// The config schema: the one source of keys, defaults and types (defaults are the seed's, CONTRACT.md).
import * as v from 'valibot';
import { argv, duration, headers, number, oneOf, show, string, url } from './fields.js';

/** What a finding does. */
export const ACTIONS = ['heal', 'alert', 'log'] as const;
/** heal | alert | log */
export type Action = (typeof ACTIONS)[number];
/** The kinds of finding of the seed's decision table. */
export const FINDING_KINDS = ['unhealthy', 'latency', 'cpu', 'mem', 'disk'] as const;
/** unhealthy | latency | cpu | mem | disk */
export type FindingKind = (typeof FINDING_KINDS)[number];

function section<E extends v.ObjectEntries>(entries: E) {
  const keys = Object.keys(entries).join(', ');
  return v.optional(
    v.strictObject(entries, (issue) =>
      issue.expected === 'never'
        ? `unknown key; accepted keys here: ${keys}`
        : `${show(issue.input)} is not a mapping; use a block of keys (${keys})`,
    ),
    {} as never,
  );
}

const pct = () => number({ min: 0, max: 100 });

/** The raw schema as written in YAML/JSON; defaults fill what is missing. */
export const configSchema = v.strictObject(
  {
    interval: v.optional(duration(1), '5m'),
    cycle_timeout: v.optional(duration(1), '60s'),
    log_file: v.optional(string({ nonEmpty: true, hint: 'give a file path, e.g. logs/anomaly_guard.ndjson' }), 'logs/anomaly_guard.ndjson'),
    scheduler_log: v.optional(string({ nonEmpty: true, hint: 'give a file path, e.g. logs/scheduler.log' }), 'logs/scheduler.log'),
    health: section({
      url: v.optional(url(), 'http://127.0.0.1:8080/health'),
      timeout: v.optional(duration(1), '10s'),
      expect_status: v.optional(string({ nonEmpty: true, hint: 'give the expected "status" value, e.g. Healthy' }), 'Healthy'),
      headers: v.optional(headers(), {}),
      ca_file: v.optional(string(), ''),
    }),
    latency: section({
      window: v.optional(number({ min: 2, integer: true }), 50),
      sigma: v.optional(number({ min: 0, exclusiveMin: true }), 3),
      min_samples: v.optional(number({ min: 2, integer: true }), 10),
      min_stdev_ms: v.optional(number({ min: 0 }), 0.5),
    }),
    resources: section({
      procfs: v.optional(string({ nonEmpty: true, hint: 'give a folder, e.g. /proc' }), '/proc'),
      disk_path: v.optional(string({ nonEmpty: true, hint: 'give a path on the disk to watch, e.g. /' }), '/'),
      cpu_sample: v.optional(duration(1), '1s'),
      cpu_critical: v.optional(pct(), 90),
      mem_critical: v.optional(pct(), 90),
      disk_warning: v.optional(pct(), 90),
      cgroup: v.optional(string(), ''),
    }),
    actions: section({
      unhealthy: v.optional(oneOf(ACTIONS), 'heal'),
      latency: v.optional(oneOf(ACTIONS), 'heal'),
      cpu: v.optional(oneOf(ACTIONS), 'heal'),
      mem: v.optional(oneOf(ACTIONS), 'heal'),
      disk: v.optional(oneOf(ACTIONS), 'alert'),
    }),
    heal: section({
      command: v.optional(argv(), []),
      timeout: v.optional(duration(1), '60s'),
      kill_grace: v.optional(duration(0), '5s'),
      cooldown: v.optional(duration(0), '0s'),
      max_per_hour: v.optional(number({ min: 0, integer: true }), 6),
      verify_after: v.optional(duration(0), '10s'),
    }),
    alert: section({
      command: v.optional(argv(), []),
      webhook: v.optional(url({ allowEmpty: true }), ''),
      timeout: v.optional(duration(1), '10s'),
    }),
  },
  (issue) =>
    issue.expected === 'never'
      ? 'unknown key; accepted top-level keys: interval, cycle_timeout, log_file, scheduler_log, health, latency, resources, actions, heal, alert'
      : `${show(issue.input)} is not a mapping; the config must be a mapping of keys`,
);

/** The config as parsed (durations in ms, paths not yet resolved); spelled out because valibot's
 * inference loses the defaults of nested optional sections. */
export interface RawConfig {
  interval: number;
  cycle_timeout: number;
  log_file: string;
  scheduler_log: string;
  health: { url: string; timeout: number; expect_status: string; headers: Record<string, string>; ca_file: string };
  latency: { window: number; sigma: number; min_samples: number; min_stdev_ms: number };
  resources: { procfs: string; disk_path: string; cpu_sample: number; cpu_critical: number; mem_critical: number; disk_warning: number; cgroup: string };
  actions: Record<FindingKind, Action>;
  heal: { command: string[]; timeout: number; kill_grace: number; cooldown: number; max_per_hour: number; verify_after: number };
  alert: { command: string[]; webhook: string; timeout: number };
}
