// Profiles: the defaults of the keys that decide how a finding becomes a restart. `seed` is the seed's
// table read literally (one sample decides); `safe` (the default) is what keeps a healthy service on a
// busy host from being restarted. A key written in the config always wins over its profile's default.

/** The profile names; the first is the default. */
export const PROFILES = ['safe', 'seed'] as const;
/** safe | seed */
export type Profile = (typeof PROFILES)[number];

/** The keys whose default depends on the profile (durations in ms). */
export interface ProfileDefaults {
  health: { confirm: number };
  /** on_busy_host: what a latency finding does while the host's own CPU or memory is past its threshold. */
  latency: { confirm_probes: number; learn: 'all' | 'normal'; on_busy_host: 'heal' | 'alert' };
  resources: { cpu_over: 'interval' | 'sample'; confirm: number; confirm_of: number };
  /** cpu / mem actions when the figures are the host's (no resources.service): a busy neighbour is not our fault. */
  actions: { cpu: 'heal' | 'alert'; mem: 'heal' | 'alert' };
  heal: { timeout: number; grace: number; backoff: boolean; stop_when_exhausted: boolean };
}

/** Each profile's defaults. */
export const PROFILE_DEFAULTS: Record<Profile, ProfileDefaults> = {
  seed: {
    health: { confirm: 0 },
    latency: { confirm_probes: 0, learn: 'all', on_busy_host: 'heal' },
    resources: { cpu_over: 'sample', confirm: 1, confirm_of: 1 },
    actions: { cpu: 'heal', mem: 'heal' },
    heal: { timeout: 60_000, grace: 0, backoff: false, stop_when_exhausted: false },
  },
  safe: {
    health: { confirm: 2 },
    latency: { confirm_probes: 2, learn: 'normal', on_busy_host: 'alert' },
    resources: { cpu_over: 'interval', confirm: 2, confirm_of: 3 },
    actions: { cpu: 'alert', mem: 'alert' },
    heal: { timeout: 30_000, grace: 30_000, backoff: true, stop_when_exhausted: true },
  },
};

/** Every profile-dependent key as a dotted path (for the init template and docs). */
export function profileKeyPaths(): string[] {
  return Object.entries(PROFILE_DEFAULTS.safe).flatMap(([section, keys]) => Object.keys(keys as object).map((k) => `${section}.${k}`));
}
