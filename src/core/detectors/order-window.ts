// A sliding window of the last `capacity` values that answers order questions (how many are below x,
// the i-th smallest) in O(log capacity): a treap in flat typed arrays, with arrival numbers breaking ties
// so the oldest copy of a value is the one removed. Constant memory; no allocation after creation.

/** The order-statistic view of a sliding window. */
export interface OrderWindow {
  readonly size: number;
  /** Appends x, dropping the oldest value when the window is full. */
  push(x: number): void;
  /** How many values are < x. */
  countBelow(x: number): number;
  /** How many values are <= x. */
  countAtMost(x: number): number;
  /** The i-th smallest value (0-based, clamped to the window). */
  kth(i: number): number;
  /** The p-quantile (0 ≤ p ≤ 1), linear between order statistics. */
  quantile(p: number): number;
}

/** Creates an empty order window holding at most `capacity` values. */
export function orderWindow(capacity: number): OrderWindow {
  const cap = Math.max(1, Math.floor(capacity));
  const key = new Float64Array(cap + 1);
  const seq = new Float64Array(cap + 1);
  const left = new Int32Array(cap + 1);
  const right = new Int32Array(cap + 1);
  const size = new Int32Array(cap + 1);
  const prio = new Uint32Array(cap + 1);
  const ring = new Float64Array(cap);
  const free: number[] = Array.from({ length: cap }, (_, i) => cap - i);
  let root = 0;
  let count = 0;
  let arrivals = 0;
  let rand = 0x9e3779b9;
  const nextPrio = (): number => {
    rand ^= rand << 13;
    rand ^= rand >>> 17;
    rand ^= rand << 5;
    return rand >>> 0;
  };
  const fix = (t: number): void => {
    size[t] = 1 + (size[left[t] as number] as number) + (size[right[t] as number] as number);
  };
  const before = (a: number, s: number, t: number): boolean => a < (key[t] as number) || (a === key[t] && s < (seq[t] as number));
  // Splits t into (< (k, s)) and (≥ (k, s)); returns them packed in `pair`.
  const pair = [0, 0];
  const split = (t: number, k: number, s: number): void => {
    if (t === 0) {
      pair[0] = 0;
      pair[1] = 0;
    } else if (before(k, s, t) || (k === key[t] && s === seq[t])) {
      split(left[t] as number, k, s);
      left[t] = pair[1] as number;
      fix(t);
      pair[1] = t;
    } else {
      split(right[t] as number, k, s);
      right[t] = pair[0] as number;
      fix(t);
      pair[0] = t;
    }
  };
  const merge = (a: number, b: number): number => {
    if (a === 0 || b === 0) return a || b;
    if ((prio[a] as number) > (prio[b] as number)) {
      right[a] = merge(right[a] as number, b);
      fix(a);
      return a;
    }
    left[b] = merge(a, left[b] as number);
    fix(b);
    return b;
  };
  const insert = (k: number, s: number): void => {
    const n = free.pop() as number;
    key[n] = k;
    seq[n] = s;
    left[n] = 0;
    right[n] = 0;
    size[n] = 1;
    prio[n] = nextPrio();
    split(root, k, s);
    const [a, b] = pair as [number, number];
    root = merge(merge(a, n), b);
  };
  const remove = (k: number, s: number): void => {
    split(root, k, s);
    const a = pair[0] as number;
    const rest = pair[1] as number;
    // The smallest node of `rest` is (k, s) itself: cut it off the leftmost path.
    split(rest, k, s + 0.5);
    free.push(pair[0] as number);
    root = merge(a, pair[1] as number);
  };
  const countWhere = (x: number, inclusive: boolean): number => {
    let t = root;
    let c = 0;
    while (t !== 0) {
      const k = key[t] as number;
      if (k < x || (inclusive && k === x)) {
        c += 1 + (size[left[t] as number] as number);
        t = right[t] as number;
      } else t = left[t] as number;
    }
    return c;
  };
  const kth = (i: number): number => {
    let idx = Math.min(Math.max(0, Math.floor(i)), count - 1);
    let t = root;
    while (t !== 0) {
      const ls = size[left[t] as number] as number;
      if (idx < ls) t = left[t] as number;
      else if (idx === ls) return key[t] as number;
      else {
        idx -= ls + 1;
        t = right[t] as number;
      }
    }
    return Number.NaN;
  };
  return {
    get size() {
      return count;
    },
    push(x) {
      if (count === cap) remove(ring[arrivals % cap] as number, arrivals - cap);
      else count += 1;
      insert(x, arrivals);
      ring[arrivals % cap] = x;
      arrivals += 1;
    },
    countBelow: (x) => countWhere(x, false),
    countAtMost: (x) => countWhere(x, true),
    kth,
    quantile(p) {
      const pos = Math.min(1, Math.max(0, p)) * (count - 1);
      const i = Math.floor(pos);
      const f = pos - i;
      return f === 0 ? kth(i) : kth(i) * (1 - f) + kth(i + 1) * f;
    },
  };
}
