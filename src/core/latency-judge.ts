// Judges one latency against the baseline: the seed's z-score (rounded as logged, so the log explains the
// decision) and, when another detector is configured, that detector's verdict. Used for a cycle's probe and
// for the quick re-probes that confirm a latency finding.
import { computeBaseline, zScore, type Baseline } from './baseline.js';
import { latencyDetector, type DetectorOutcome, type LatencySettings } from './detectors/run-detector.js';
import { plainNumber } from './format.js';
import { roundOrNull, roundScore } from './format.js';
import { latencyReason } from './kinds.js';

/** The verdict on one latency. */
export interface LatencyJudgement {
  baseline: Baseline;
  /** The seed's z-score, rounded to 0.01 (null without a baseline). */
  score: number | null;
  /** The configured detector's outcome when it is not zscore. */
  detector: DetectorOutcome | null;
  /** The latency finding's reason when the latency is anomalous, else null. */
  anomaly: string | null;
}

/** Judges `latencyMs` of an ok probe against `window` (oldest first; the detector replays it). */
export function judgeLatency(s: LatencySettings, window: readonly number[], latencyMs: number): LatencyJudgement {
  const baseline = computeBaseline(window.slice(-s.window), s.minSamples);
  const score = roundOrNull(zScore(latencyMs, true, baseline, s.minStdevMs), roundScore);
  const detector = latencyDetector(s, window, latencyMs);
  let anomaly: string | null = null;
  if (detector) anomaly = detector.finding.anomaly ? detector.finding.reason : null;
  else if (score !== null && score > s.sigma) anomaly = latencyReason(`${plainNumber(s.sigma)}sigma`, score);
  return { baseline, score, detector, anomaly };
}
