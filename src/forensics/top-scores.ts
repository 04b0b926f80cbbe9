// The k check records with the highest score, kept in a bounded min-heap (O(log k) per record). Only a
// positive score is an anomaly (the latency above its baseline): zero and below are never kept.

/** One anomaly: the check's time, score and latency. */
export interface ScoredCheck {
  ts: string;
  score: number;
  latencyMs: number;
}

/** A bounded top-k of scored checks. */
export interface TopScores {
  offer(item: ScoredCheck): void;
  /** Highest score first; equal scores: the earlier one first. */
  result(): ScoredCheck[];
}

// a ranks below b: lower score, or the same score and later (the earlier of equal scores is kept).
const below = (a: ScoredCheck, b: ScoredCheck): boolean => a.score < b.score || (a.score === b.score && a.ts > b.ts);

/** Creates a top-k keeper; the heap's root is the weakest item kept. */
export function topScores(k: number): TopScores {
  const heap: ScoredCheck[] = [];
  const swap = (i: number, j: number): void => {
    const t = heap[i] as ScoredCheck;
    heap[i] = heap[j] as ScoredCheck;
    heap[j] = t;
  };
  const up = (i: number): void => {
    for (let p = (i - 1) >> 1; i > 0 && below(heap[i] as ScoredCheck, heap[p] as ScoredCheck); i = p, p = (i - 1) >> 1) swap(i, p);
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && below(heap[l] as ScoredCheck, heap[m] as ScoredCheck)) m = l;
      if (r < heap.length && below(heap[r] as ScoredCheck, heap[m] as ScoredCheck)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  return {
    offer(item) {
      if (k <= 0 || !(item.score > 0)) return;
      if (heap.length < k) {
        heap.push(item);
        up(heap.length - 1);
      } else if (below(heap[0] as ScoredCheck, item)) {
        heap[0] = item;
        down(0);
      }
    },
    result: () => [...heap].sort((a, b) => (below(a, b) ? 1 : below(b, a) ? -1 : 0)),
  };
}
