// Running the configured latency detector in a cycle: its state is rebuilt by replaying the recent ok
// latencies from the log (oldest first), then the current latency is scored. The seed's zscore keeps
// the contract's own figures (score, mean, stdev) and needs nothing here.
import { roundScore } from '../format.js';
import { latencyReason } from '../kinds.js';
import { findDetector } from './registry.js';
import type { DetectorOptions, DetectorSpec } from './types.js';

/** The latency settings as the config holds them. */
export interface LatencySettings {
  window: number;
  sigma: number;
  minSamples: number;
  minStdevMs: number;
  detector: string;
}

/** A non-default detector's finding and its figures for the check record. */
export interface DetectorOutcome {
  finding: { anomaly: boolean; reason: string };
  record: { name: string; score: number; anomaly: boolean };
}

function specOf(s: LatencySettings): DetectorSpec | null {
  if (s.detector === 'zscore') return null;
  return findDetector(s.detector);
}

const optionsOf = (s: LatencySettings): DetectorOptions => ({ window: s.window, sigma: s.sigma, minSamples: s.minSamples, minStdevMs: s.minStdevMs });

/** How many recent ok latencies the cycle must read: the window, or the detector's warm-up if longer. */
export function historyWindow(s: LatencySettings): number {
  const spec = specOf(s);
  return spec === null ? s.window : Math.max(s.window, spec.warmup(optionsOf(s)));
}

/** Replays `recent` (oldest first) through the configured detector and scores `latencyMs`; null for zscore. */
export function latencyDetector(s: LatencySettings, recent: readonly number[], latencyMs: number): DetectorOutcome | null {
  const spec = specOf(s);
  if (spec === null) return null;
  const detector = spec.create(optionsOf(s));
  for (const x of recent.slice(-spec.warmup(optionsOf(s)))) detector.update(x);
  const v = detector.update(latencyMs);
  const score = roundScore(v.score);
  return {
    finding: { anomaly: v.anomaly, reason: latencyReason(spec.name, score) },
    record: { name: spec.name, score, anomaly: v.anomaly },
  };
}
