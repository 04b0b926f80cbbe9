// Latency percentiles in fixed memory: exact (nearest rank) while the samples fit in a bounded buffer,
// then a log-bucketed sketch (DDSketch style) whose answers are within 1 % of the true value.

/** Relative accuracy of the sketch: every answer is within this share of a real sample's value. */
export const SKETCH_RELATIVE_ERROR = 0.01;
/** Samples kept for exact percentiles (512 KiB); past this the sketch answers. */
export const EXACT_LIMIT = 65_536;

const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);
// Buckets cover 1 µs … ~10^9 ms (11.5 days); values outside are clamped into the end buckets.
const MIN_INDEX = Math.floor(Math.log(1e-3) / LOG_GAMMA);
const MAX_INDEX = Math.ceil(Math.log(1e9) / LOG_GAMMA);

/** The percentiles of a series, and how they were computed. */
export interface Percentiles {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  method: 'exact' | 'sketch';
}

/** What a sketch holds, to be merged into another (read by another thread). */
export interface SketchState {
  buckets: Float64Array;
  /** The samples while they fit the exact limit, else null. */
  exact: Float64Array | null;
  zeros: number;
  count: number;
  min: number;
  max: number;
}

/** A fixed-memory percentile estimator: add samples, then ask for quantiles. */
export interface QuantileSketch {
  add(value: number): void;
  /** Adds values[index] (a hot caller passes no boxed number). */
  addFrom(values: Float64Array, index: number): void;
  /** Adds the samples of another sketch with the same exact limit. */
  merge(other: SketchState): void;
  state(): SketchState;
  /** The nearest-rank q-quantile (0 < q ≤ 1), null with no samples. */
  quantile(q: number): number | null;
  summary(): Percentiles;
}

/** Creates an estimator that is exact up to `exactLimit` samples and a ≤1 %-error sketch beyond. */
export function quantileSketch(exactLimit = EXACT_LIMIT): QuantileSketch {
  const buckets = new Float64Array(MAX_INDEX - MIN_INDEX + 1);
  let exact: Float64Array | null = new Float64Array(Math.min(exactLimit, 1024));
  let sorted = false;
  let zeros = 0;
  let count = 0;
  // min and max in a typed array: storing a double in a closure variable allocates.
  const range = Float64Array.of(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY);

  const keepExact = (value: number): void => {
    if (exact === null) return;
    if (count > exactLimit) {
      exact = null; // too many for exact figures: the sketch answers from now on
      return;
    }
    if (count > exact.length) {
      const bigger = new Float64Array(Math.min(exactLimit, exact.length * 2));
      bigger.set(exact);
      exact = bigger;
    }
    exact[count - 1] = value;
    sorted = false;
  };

  const fromSketch = (rank: number): number => {
    const [min, max] = range as unknown as [number, number];
    if (rank <= zeros) return Math.max(0, min);
    let seen = zeros;
    for (let i = 0; i < buckets.length; i++) {
      seen += buckets[i] as number;
      if (seen >= rank) return clamp((2 * GAMMA ** (i + MIN_INDEX)) / (GAMMA + 1), min, max);
    }
    return max;
  };

  const quantile = (q: number): number | null => {
    if (count === 0) return null;
    const rank = Math.min(count, Math.max(1, Math.ceil(q * count)));
    if (exact === null) return fromSketch(rank);
    if (!sorted) {
      exact.subarray(0, count).sort();
      sorted = true;
    }
    return exact[rank - 1] as number;
  };

  const merge = (o: SketchState): void => {
    for (let i = 0; i < buckets.length; i++) buckets[i] = (buckets[i] as number) + (o.buckets[i] as number);
    if (exact !== null && o.exact !== null && count + o.count <= exactLimit) {
      if (count + o.count > exact.length) {
        const bigger = new Float64Array(Math.min(exactLimit, Math.max(exact.length * 2, count + o.count)));
        bigger.set(exact.subarray(0, count));
        exact = bigger;
      }
      exact.set(o.exact.subarray(0, o.count), count);
      sorted = false;
    } else exact = null;
    zeros += o.zeros;
    count += o.count;
    range[0] = Math.min(range[0] as number, o.min);
    range[1] = Math.max(range[1] as number, o.max);
  };

  const add = (value: number): void => {
    if (!Number.isFinite(value)) return;
    count++;
    if (value < (range[0] as number)) range[0] = value;
    if (value > (range[1] as number)) range[1] = value;
    if (value <= 0) zeros++;
    else {
      const i = clamp(Math.ceil(Math.log(value) / LOG_GAMMA), MIN_INDEX, MAX_INDEX) - MIN_INDEX;
      buckets[i] = (buckets[i] as number) + 1;
    }
    if (exact !== null) keepExact(value);
  };

  return {
    merge,
    add,
    addFrom: (values, index) => add(values[index] as number),
    state: () => ({ buckets: buckets.slice(), exact: exact === null ? null : exact.slice(0, count), zeros, count, min: range[0] as number, max: range[1] as number }),
    quantile,
    summary: () => ({ count, p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99), max: count === 0 ? null : (range[1] as number), method: exact === null ? 'sketch' : 'exact' }),
  };
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
