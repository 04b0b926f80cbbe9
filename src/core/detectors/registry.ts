// The detectors by name; the first is the default.
import { LIKELIHOOD_2S_SPEC, LIKELIHOOD_SPEC } from './likelihood.js';
import { PREDICTIVE_2S_SPEC, PREDICTIVE_SPEC } from './predictive.js';
import { RANK_CUSUM_2S_SPEC, RANK_CUSUM_SPEC } from './rank-cusum.js';
import type { DetectorSpec } from './types.js';
import { ZSCORE } from './zscore.js';

/** Every detector, the default (the seed's zscore) first. */
export const DETECTORS: readonly DetectorSpec[] = [ZSCORE, RANK_CUSUM_SPEC, RANK_CUSUM_2S_SPEC, PREDICTIVE_SPEC, PREDICTIVE_2S_SPEC, LIKELIHOOD_SPEC, LIKELIHOOD_2S_SPEC];

/** The detector of that name, or null. */
export function findDetector(name: string): DetectorSpec | null {
  return DETECTORS.find((d) => d.name === name) ?? null;
}
