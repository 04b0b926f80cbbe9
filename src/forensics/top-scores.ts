// The k check records with the highest score, kept in a bounded min-heap (O(log k) per record). Only a
// positive score is an anomaly (the latency above its baseline): zero and below are never kept. Equal
// scores rank by time, then by place in the log, so the k kept are the same whatever order they came in
// (the heaps of several threads merge into the one a single reader would have kept).
import { type CheckLine, SLOT } from './check-line.js';

/** One anomaly: the check's time, score and latency. */
export interface ScoredCheck {
  ts: string;
  score: number;
  latencyMs: number;
}

/** A scored check and its place in the log (later lines: larger). */
export interface RankedCheck extends ScoredCheck {
  seq: number;
}

/** A bounded top-k of scored checks. */
export interface TopScores {
  /** Offers a check; `seq` defaults to the order of the offers. */
  offer(item: ScoredCheck, seq?: number): void;
  /** Offers a check without building the item (nor reading its ts) unless it is kept. */
  offerCheck(c: CheckLine): void;
  /** The checks kept, to be offered to another top-k. */
  state(): RankedCheck[];
  /** Highest score first; equal scores: the earlier one first. */
  result(): ScoredCheck[];
}

// a ranks below b: lower score, or the same score and later (the earlier of equal scores is kept).
const below = (a: RankedCheck, b: RankedCheck): boolean => a.score < b.score || (a.score === b.score && (a.ts > b.ts || (a.ts === b.ts && a.seq > b.seq)));

/** Creates a top-k keeper; the heap's root is the weakest item kept. */
export function topScores(k: number): TopScores {
  const heap: RankedCheck[] = [];
  const swap = (i: number, j: number): void => {
    const t = heap[i] as RankedCheck;
    heap[i] = heap[j] as RankedCheck;
    heap[j] = t;
  };
  const up = (i: number): void => {
    for (let p = (i - 1) >> 1; i > 0 && below(heap[i] as RankedCheck, heap[p] as RankedCheck); i = p, p = (i - 1) >> 1) swap(i, p);
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && below(heap[l] as RankedCheck, heap[m] as RankedCheck)) m = l;
      if (r < heap.length && below(heap[r] as RankedCheck, heap[m] as RankedCheck)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  let offers = 0;
  // The weakest score kept once the heap is full: most checks are turned away by this one compare.
  let floor = Number.NEGATIVE_INFINITY;
  const offer = (item: RankedCheck): void => {
    if (k <= 0 || !(item.score > 0)) return;
    if (heap.length < k) {
      heap.push(item);
      up(heap.length - 1);
    } else if (below(heap[0] as RankedCheck, item)) {
      heap[0] = item;
      down(0);
    }
    if (heap.length >= k) floor = (heap[0] as RankedCheck).score;
  };
  return {
    offer: (item, seq) => offer({ ts: item.ts, score: item.score, latencyMs: item.latencyMs, seq: seq ?? offers++ }),
    offerCheck(c) {
      const score = c.f[SLOT.score] as number;
      if (!(score >= floor)) return; // NaN: no score
      offer({ ts: c.ts, score, latencyMs: c.f[SLOT.latency] as number, seq: c.pos });
    },
    state: () => [...heap],
    result: () => [...heap].sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0)).map(({ ts, score, latencyMs }) => ({ ts, score, latencyMs })),
  };
}
