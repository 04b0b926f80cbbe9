// The likelihood detector: predictive's surprise and CUSUM, with a second opinion in the spirit of HTM's
// "anomaly likelihood". The recent surprise (its mean over the last 4 and 16 samples) is compared with how
// that mean has been distributed over this series' last 4000 samples (a normal fit): ell = −log of its
// upper-tail probability, in nats, the larger of the two less log 2 (two tests). The alarm needs the CUSUM
// at its threshold and ell ≥ 5: evidence that is unusual for this series, so a series that is often
// turbulent needs more than a quiet one. Once 3000 samples are known, the value must also be extreme: in the
// top 1 % of the last 6000 for a rise (the bottom 1 % for a drop), unless ell is at least twice the bar.
// After firing it waits 100 samples; its bar rises to half the firing's ell and decays back over about
// 1000 samples, so the next alarm must be comparable in size. O(log 6000) per sample; constant memory.
import { orderWindow } from './order-window.js';
import { predictiveSurprise } from './predictive.js';
import { cusumDetector, RANK_CUSUM } from './rank-cusum.js';
import type { Detector, DetectorOptions, DetectorSpec } from './types.js';
import { normalTailNats } from './types.js';
import { rollingStats } from '../baseline.js';

/** The fixed design parameters (chosen once on NAB's development set, never per series). */
export const LIKELIHOOD = {
  windows: [4, 16],
  history: 4000,
  minHistory: 300,
  bar: 5,
  rearm: 100,
  peak: 0.5,
  decay: 1000,
  /** The ell that raises the bar is taken as at most this (a flat series can make it astronomical): the
   * raised bar then decays to nothing within the 6000 samples a one-shot check replays. */
  peakCap: 100,
  /** The value's share of the span it must beat (a rise) or undercut (a drop) … */
  extreme: 0.99,
  span: 6000,
  /** … once the span holds this many values … */
  minSpan: 3000,
  /** … unless ell is at least this many times the bar. */
  overwhelm: 2,
} as const;

/** −log P[X ≥ x] in nats under a normal fit to the window's values; 0 before it holds two. */
function tailNats(stats: ReturnType<typeof rollingStats>, x: number): number {
  const mean = stats.mean();
  const sd = stats.stdev();
  return mean === null || sd === null ? 0 : normalTailNats((x - mean) / Math.max(sd, 1e-6));
}

/** ell of a surprise stream: the most unlikely of its short-window means, less log(#windows). */
export function surpriseLikelihood() {
  const { windows, history, minHistory } = LIKELIHOOD;
  const longest = Math.max(...windows);
  const ring = new Float64Array(longest);
  const sums = new Float64Array(windows.length);
  const fits = windows.map(() => rollingStats(history));
  const tests = Math.log(windows.length);
  let count = 0;
  return (r: number): number => {
    let ell = 0;
    windows.forEach((w, k) => {
      sums[k] = (sums[k] as number) + r - (count >= w ? (ring[(count - w) % longest] as number) : 0);
      if (count + 1 < w) return;
      const mean = (sums[k] as number) / w;
      const fit = fits[k] as ReturnType<typeof rollingStats>;
      if (fit.n >= minHistory) ell = Math.max(ell, tailNats(fit, mean));
      fit.push(mean);
    });
    ring[count % longest] = r;
    count += 1;
    return Math.max(0, ell - tests);
  };
}

/** Whether x is extreme among the last `span` values: above the top share (a rise) or below the bottom one. */
export function extremeness() {
  const { extreme, span, minSpan } = LIKELIHOOD;
  const seen = orderWindow(span);
  return (x: number): { high: boolean; low: boolean } => {
    const n = seen.size;
    const ready = n >= minSpan;
    const out = { high: !ready || seen.countBelow(x) >= extreme * n, low: !ready || n - seen.countAtMost(x) >= extreme * n };
    seen.push(x);
    return out;
  };
}

/**
 * The gated alarm: the CUSUM at its threshold, ell at the bar, and the value extreme in the CUSUM's
 * direction (or ell overwhelming); re-arms `rearm` samples after firing.
 */
export function likelihoodAlarm(twoSided: boolean) {
  const { drift, threshold } = RANK_CUSUM;
  const { bar, rearm, peak, peakCap, decay, overwhelm } = LIKELIHOOD;
  const likelihood = surpriseLikelihood();
  const extreme = extremeness();
  const fade = Math.exp(-1 / decay);
  let [up, down, extra, quiet] = [0, 0, 0, 0];
  let armed = true;
  return (s: { up: number; down: number }, x: number): { score: number; anomaly: boolean } => {
    up = Math.max(0, up + s.up - drift);
    down = Math.max(0, down + s.down - drift);
    const ell = likelihood(twoSided ? Math.max(s.up, s.down) : s.up);
    const { high, low } = extreme(x);
    extra *= fade;
    const need = bar + extra;
    const rising = up >= threshold && (high || ell >= overwhelm * need);
    const falling = twoSided && down >= threshold && (low || ell >= overwhelm * need);
    const evidence = rising || falling ? ell : 0;
    let anomaly = false;
    if (armed && evidence >= need) {
      [anomaly, armed, quiet] = [true, false, rearm];
      extra = Math.max(extra, peak * Math.min(evidence, peakCap) - bar);
    } else if (!armed && --quiet <= 0) armed = true;
    return { score: anomaly ? 1 : (evidence / (evidence + need)) * (armed ? 0.99 : 0.5), anomaly };
  };
}

/** The likelihood detector; `twoSided` also flags drops (NAB labels both directions; latency cares about rises). */
export function likelihoodDetector(_opts: DetectorOptions, twoSided = false): Detector {
  return cusumDetector(predictiveSurprise(), twoSided, likelihoodAlarm(twoSided));
}

/** The registry entry: upward only, for latency. */
export const LIKELIHOOD_SPEC: DetectorSpec = {
  name: 'likelihood',
  summary: 'predictive whose alarm also needs the recent surprise to be unlikely for this series (fewer false triggers on turbulent series)',
  create: (opts) => likelihoodDetector(opts, false),
  warmup: () => 6000,
  tunedBy: [], // its own fixed windows and threshold
};

/** The registry entry: both directions (general series such as NAB). */
export const LIKELIHOOD_2S_SPEC: DetectorSpec = {
  name: 'likelihood-2s',
  summary: 'likelihood that also flags drops (for series where a fall is as anomalous as a rise)',
  create: (opts) => likelihoodDetector(opts, true),
  warmup: () => 6000,
  tunedBy: [], // its own fixed windows and threshold
};
