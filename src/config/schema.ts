// The config schema: the one source of keys, defaults and types (defaults are the seed's, CONTRACT.md).
import * as v from 'valibot';
import { DETECTORS } from '../core/detectors/registry.js';
import { argv, boolean, cron, duration, headers, kindOf, number, oneOf, show, string, url } from './fields.js';
import { bearerToken, hostNames, listenAddress } from './http-fields.js';
import { PROFILES, type Profile } from './profiles.js';
import { conditions, probeUrl } from './condition-fields.js';
import type { Condition } from '../core/conditions/types.js';

import { ACTIONS, type Action, type FindingKind } from '../core/kinds.js';

/** The kinds and actions are the core's (core/kinds.ts); re-exported for the config's readers. */
export { ACTIONS, FINDING_KINDS, type Action, type FindingKind } from '../core/kinds.js';

// A mapping of known keys: anything else (a list, a scalar) is refused before the keys are read, because
// valibot would take a list for an object. Unknown keys pass here and are all reported by problems.ts.
function mapping<E extends v.ObjectEntries>(entries: E, accepted: string) {
  return v.pipe(
    v.custom<Record<string, unknown>>(
      (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
      (issue) => `${typeof issue.input === 'object' && issue.input !== null ? `is ${kindOf(issue.input)}, not a mapping` : `${show(issue.input)} is not a mapping`}; ${accepted}`,
    ),
    v.looseObject(entries),
  );
}

function section<E extends v.ObjectEntries>(entries: E) {
  // nullish: a section left empty (`health:` with every key commented out) means its defaults.
  return v.nullish(mapping(entries, `use a block of keys (${Object.keys(entries).join(', ')})`), {} as never);
}

/** log_file when none is written (the targets' files sit beside it). */
export const DEFAULT_LOG_FILE = 'logs/anomaly_guard.ndjson';

const pct = () => number({ min: 0, max: 100 });

/** The raw schema as written in YAML/JSON; defaults fill what is missing. */
export const configSchema = mapping(
  {
    profile: v.optional(oneOf(PROFILES), 'safe'),
    interval: v.optional(duration(1), '5m'),
    schedule: v.optional(cron(), ''),
    cycle_timeout: v.optional(duration(1), '60s'),
    max_concurrent_probes: v.optional(number({ min: 1, integer: true }), 256),
    log_file: v.optional(string({ nonEmpty: true, hint: 'give a file path, e.g. logs/anomaly_guard.ndjson' }), DEFAULT_LOG_FILE),
    scheduler_log: v.optional(string({ nonEmpty: true, hint: 'give a file path, e.g. logs/scheduler.log' }), 'logs/scheduler.log'),
    health: section({
      url: v.optional(probeUrl(), 'http://127.0.0.1:8080/health'),
      timeout: v.optional(duration(1), '10s'),
      expect_status: v.optional(string({ nonEmpty: true, hint: 'give the expected "status" value, e.g. Healthy' }), 'Healthy'),
      conditions: v.optional(conditions(), []),
      send: v.optional(string(), ''),
      expect: v.optional(string(), ''),
      headers: v.optional(headers(), {}),
      ca_file: v.optional(string(), ''),
      // Profile-dependent keys have no default here: absent means "the profile's" (profiles.ts).
      confirm: v.optional(number({ min: 0, max: 10, integer: true })),
      confirm_spacing: v.optional(duration(0), '1s'),
      keep_alive: v.optional(boolean(), false),
    }),
    latency: section({
      window: v.optional(number({ min: 2, integer: true }), 50),
      sigma: v.optional(number({ min: 0, exclusiveMin: true }), 3),
      min_samples: v.optional(number({ min: 2, integer: true }), 10),
      min_stdev_ms: v.optional(number({ min: 0 }), 0.5),
      detector: v.optional(oneOf(DETECTORS.map((d) => d.name)), 'zscore'),
      confirm: v.optional(number({ min: 1, integer: true }), 1),
      confirm_of: v.optional(number({ min: 1, integer: true }), 1),
      confirm_probes: v.optional(number({ min: 0, max: 10, integer: true })),
      learn: v.optional(oneOf(['all', 'normal'] as const)),
      on_busy_host: v.optional(oneOf(['heal', 'alert'] as const)),
    }),
    resources: section({
      procfs: v.optional(string({ nonEmpty: true, hint: 'give a folder, e.g. /proc' }), '/proc'),
      disk_path: v.optional(string({ nonEmpty: true, hint: 'give a path on the disk to watch, e.g. /' }), '/'),
      cpu_sample: v.optional(duration(1), '1s'),
      cpu_over: v.optional(oneOf(['interval', 'sample'] as const)),
      cpu_critical: v.optional(pct(), 90),
      mem_critical: v.optional(pct(), 90),
      disk_warning: v.optional(pct(), 90),
      cgroup: v.optional(string(), ''),
      confirm: v.optional(number({ min: 1, integer: true })),
      confirm_of: v.optional(number({ min: 1, integer: true })),
      service: section({
        unit: v.optional(string(), ''),
        cgroup: v.optional(string(), ''),
        pid_file: v.optional(string(), ''),
      }),
    }),
    actions: section({
      unhealthy: v.optional(oneOf(ACTIONS), 'heal'),
      latency: v.optional(oneOf(ACTIONS), 'heal'),
      cpu: v.optional(oneOf(ACTIONS)),
      mem: v.optional(oneOf(ACTIONS)),
      disk: v.optional(oneOf(ACTIONS), 'alert'),
    }),
    heal: section({
      command: v.optional(argv(), []),
      timeout: v.optional(duration(1)),
      kill_grace: v.optional(duration(0), '5s'),
      cooldown: v.optional(duration(0), '0s'),
      max_per_hour: v.optional(number({ min: 0, integer: true }), 6),
      verify_after: v.optional(duration(0), '10s'),
      grace: v.optional(duration(0)),
      backoff: v.optional(boolean()),
      backoff_max: v.optional(number({ min: 1, integer: true }), 8),
      backoff_reset: v.optional(duration(1), '30m'),
      stop_when_exhausted: v.optional(boolean()),
      resume_after: v.optional(duration(1), '30m'),
    }),
    alert: section({
      command: v.optional(argv(), []),
      webhook: v.optional(url({ allowEmpty: true }), ''),
      timeout: v.optional(duration(1), '10s'),
      repeat: v.optional(duration(0), '1h'),
      alertmanager: section({
        url: v.optional(url({ allowEmpty: true }), ''),
        timeout: v.optional(duration(1), '10s'),
        instance: v.optional(string(), ''),
      }),
    }),
    heartbeat: section({
      url: v.optional(url({ allowEmpty: true }), ''),
      timeout: v.optional(duration(1), '10s'),
    }),
    http: section({
      listen: v.optional(listenAddress(), ''),
      token: v.optional(bearerToken(), ''),
      allowed_hosts: v.optional(hostNames(), []),
    }),
    // Many services in one guard (targets.ts and include.ts check these: each item is a config of its own).
    targets: v.optional(v.unknown()),
    include: v.optional(v.unknown()),
  },
  'the config must be a mapping of keys, e.g. "interval: 5m"',
);

/** The config as parsed (durations in ms, paths not yet resolved); spelled out because valibot's
 * inference loses the defaults of nested optional sections. */
export interface RawConfig {
  profile: Profile;
  interval: number;
  schedule: string;
  cycle_timeout: number;
  max_concurrent_probes: number;
  log_file: string;
  scheduler_log: string;
  health: { url: string; timeout: number; expect_status: string; conditions: Condition[]; send: string; expect: string; headers: Record<string, string>; ca_file: string;
    confirm?: number; confirm_spacing: number; keep_alive: boolean;
  };
  latency: { window: number; sigma: number; min_samples: number; min_stdev_ms: number; detector: string; confirm: number; confirm_of: number;
    confirm_probes?: number; learn?: 'all' | 'normal'; on_busy_host?: 'heal' | 'alert';
  };
  resources: { procfs: string; disk_path: string; cpu_sample: number; cpu_over?: 'interval' | 'sample'; cpu_critical: number; mem_critical: number;
    disk_warning: number; cgroup: string; confirm?: number; confirm_of?: number; service: { unit: string; cgroup: string; pid_file: string };
  };
  actions: Omit<Record<FindingKind, Action>, 'cpu' | 'mem'> & { cpu?: Action; mem?: Action };
  heal: { command: string[]; timeout?: number; kill_grace: number; cooldown: number; max_per_hour: number; verify_after: number;
    grace?: number; backoff?: boolean; backoff_max: number; backoff_reset: number; stop_when_exhausted?: boolean; resume_after: number;
  };
  alert: { command: string[]; webhook: string; timeout: number; repeat: number; alertmanager: { url: string; timeout: number; instance: string } };
  heartbeat: { url: string; timeout: number };
  http: { listen: string; token: string; allowed_hosts: string[] };
}

/** A schema node as walked by schemaEntries. */
export type SchemaNode = { entries?: v.ObjectEntries; wrapped?: SchemaNode; pipe?: SchemaNode[] };

/** The object entries inside a schema node, looking through nullish() and pipe(); null for a leaf. */
export function schemaEntries(node: SchemaNode): v.ObjectEntries | null {
  if (node.entries) return node.entries;
  if (node.wrapped) return schemaEntries(node.wrapped);
  for (const item of node.pipe ?? []) {
    const found = schemaEntries(item);
    if (found) return found;
  }
  return null;
}

/** Every key the schema accepts as a dotted path, in schema order: `interval`, …, `health`, `health.url`, …. */
export function configKeyPaths(node: SchemaNode = configSchema as unknown as SchemaNode, prefix = ''): string[] {
  const entries = schemaEntries(node) ?? {};
  return Object.entries(entries).flatMap(([key, child]) => [`${prefix}${key}`, ...configKeyPaths(child as unknown as SchemaNode, `${prefix}${key}.`)]);
}
