// `replay`'s core: re-runs the latency detector over the logged history with other settings (the
// simulated guard: detector, confirmation, heal budget) and compares each with what was recorded. Pure.
import { simulateGuard, type GuardSimOptions } from '../core/detectors/simulate.js';
import type { DetectorSpec } from '../core/detectors/types.js';
import type { ReplayHistory } from './replay-read.js';

/** One combination of settings to replay. */
export interface ReplaySetting {
  spec: DetectorSpec;
  window: number;
  sigma: number;
}

/** What one setting would have done within the range. */
export interface SettingResult {
  detector: string;
  window: number;
  sigma: number;
  /** Latency anomaly_trigger records it would have logged (confirmed findings). */
  triggers: number;
  /** Of those, the heals the budget would have let run. */
  heals: number;
  /** Recorded latency triggers it would have fired too (a simulated trigger at the same check). */
  kept: number;
  recorded: number;
  /** Per incident in range: a simulated trigger in the `lead` checks before it. */
  caught: boolean[];
}

/** The range and the lead of a replay. */
export interface ReplayRange {
  sinceMs: number;
  lead: number;
}

/** The settings a base config gets for one combination (min_samples at most the window). */
export function settingOptions(base: GuardSimOptions, s: ReplaySetting): GuardSimOptions {
  return { ...base, detector: { ...base.detector, window: s.window, sigma: s.sigma, minSamples: Math.min(base.detector.minSamples, s.window) } };
}

/** Replays one setting over the history and counts within the range. */
export function replaySetting(h: ReplayHistory, s: ReplaySetting, base: GuardSimOptions, range: ReplayRange): SettingResult {
  const rows = simulateGuard(h.values, h.timesMs, s.spec, settingOptions(base, s));
  const fired = new Set<number>();
  let triggers = 0;
  let heals = 0;
  rows.forEach((r, i) => {
    if (!r.confirmed) return;
    fired.add(h.checkIndex[i] as number);
    if ((h.timesMs[i] as number) < range.sinceMs) return;
    triggers++;
    if (r.trigger) heals++;
  });
  const recorded = h.recorded.filter((r) => r.tsMs >= range.sinceMs);
  const caught = incidentsInRange(h, range).map((inc) => {
    for (let c = Math.max(0, inc.check - range.lead); c < inc.check; c++) if (fired.has(c)) return true;
    return false;
  });
  return { detector: s.spec.name, window: s.window, sigma: s.sigma, triggers, heals, kept: recorded.filter((r) => fired.has(r.check)).length, recorded: recorded.length, caught };
}

/** The incidents that start within the range. */
export function incidentsInRange(h: ReplayHistory, range: ReplayRange): ReplayHistory['incidents'] {
  return h.incidents.filter((inc) => inc.tsMs >= range.sinceMs);
}

/** Every combination of detectors, windows and sigmas, in that order; of a setting a detector does not
 * read (DetectorSpec.tunedBy), it gets only `fixed`'s value: one row, not one per value that changes nothing. */
export function combinations(specs: readonly DetectorSpec[], windows: readonly number[], sigmas: readonly number[], fixed: { window: number; sigma: number }): ReplaySetting[] {
  const tried = <T>(spec: DetectorSpec, setting: 'window' | 'sigma', values: readonly T[], one: T): readonly T[] => (spec.tunedBy.includes(setting) ? values : [one]);
  return specs.flatMap((spec) => tried(spec, 'window', windows, fixed.window).flatMap((window) => tried(spec, 'sigma', sigmas, fixed.sigma).map((sigma) => ({ spec, window, sigma }))));
}
