// Evaluates a detector on a NAB corpus the way the guard would run it: the simulated guard over each file
// (values as latencies, row timestamps as the cycle clock), then NAB's scores for three streams: the
// anomaly score at the swept best threshold, the triggers (heals) it ships, and the raw findings.
import { simulateGuard, type GuardSimOptions } from '../../core/detectors/simulate.js';
import type { DetectorSpec } from '../../core/detectors/types.js';
import type { NabFile } from './corpus.js';
import { PROFILES, type Profile } from './layout.js';
import { bounds, normalise, sumScores, type ScoredFile } from './nab-score.js';
import { bestCorpusScore, scoreCorpus, type CorpusScore } from './sweep.js';

/** The three score streams of one detector over the corpus. */
export interface DetectorStreams {
  /** anomaly_score per row. */
  score: ScoredFile[];
  /** 1 where a heal would have run (the heal policy applied). */
  trigger: ScoredFile[];
  /** 1 where the detector found an anomaly (no confirmation, no heal policy). */
  finding: ScoredFile[];
}

/** One profile's figures for a detector. */
export interface ProfileResult {
  profile: string;
  /** The anomaly score at the threshold the sweep chose. */
  swept: CorpusScore;
  /** The trigger stream at T = 0.5. */
  shipped: CorpusScore;
  /** The raw findings at T = 0.5. */
  noHeal: CorpusScore;
}

/** A category's normalised scores (NaN for a category without windows) and raw scores. */
export interface CategoryResult {
  category: string;
  files: number;
  windows: number;
  swept: { raw: number; normalised: number };
  shipped: { raw: number; normalised: number };
}

/** Everything the evaluation reports for one detector. */
export interface DetectorEvaluation {
  detector: string;
  profiles: ProfileResult[];
  /** Standard profile, per category. */
  categories: CategoryResult[];
}

/** Runs the simulated guard over every file and collects its three streams. */
export function detectorStreams(files: readonly NabFile[], spec: DetectorSpec, opts: GuardSimOptions): DetectorStreams {
  const out: DetectorStreams = { score: [], trigger: [], finding: [] };
  for (const f of files) {
    const rows = simulateGuard(Array.from(f.values), Array.from(f.timesMs), spec, opts);
    const column = (pick: (r: (typeof rows)[number]) => number): ScoredFile => ({ key: f.key, layout: f.layout, scores: Float64Array.from(rows, pick) });
    out.score.push(column((r) => r.score));
    out.trigger.push(column((r) => (r.trigger ? 1 : 0)));
    out.finding.push(column((r) => (r.anomaly ? 1 : 0)));
  }
  return out;
}

/** The raw and normalised score of a category's files within a corpus score. */
function categoryPart(files: readonly NabFile[], score: CorpusScore, category: string, p: Profile): { raw: number; normalised: number } {
  const keys = new Set(files.filter((f) => f.category === category).map((f) => f.key));
  const raw = sumScores(score.files.filter((s) => keys.has(s.key))).raw;
  const b = bounds(files.filter((f) => keys.has(f.key)).map((f) => f.layout), p);
  return { raw, normalised: normalise(raw, b) };
}

/** Scores a detector's streams under every profile, and per category under the standard one. */
export function evaluateDetector(name: string, files: readonly NabFile[], streams: DetectorStreams): DetectorEvaluation {
  const profiles = PROFILES.map((p) => ({
    profile: p.name,
    swept: bestCorpusScore(streams.score, p),
    shipped: scoreCorpus(streams.trigger, p, 0.5),
    noHeal: scoreCorpus(streams.finding, p, 0.5),
  }));
  const standard = PROFILES[0] as Profile;
  const std = profiles[0] as ProfileResult;
  const categories = [...new Set(files.map((f) => f.category))].map((category) => {
    const mine = files.filter((f) => f.category === category);
    return {
      category,
      files: mine.length,
      windows: mine.reduce((a, f) => a + f.windows.length, 0),
      swept: categoryPart(files, std.swept, category, standard),
      shipped: categoryPart(files, std.shipped, category, standard),
    };
  });
  return { detector: name, profiles, categories };
}
