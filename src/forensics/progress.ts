// A progress line on a terminal while a large log is read: bytes read of the total, at most 4 times a second.

/** Where and when progress is drawn. */
export interface ProgressOptions {
  total: number;
  write: (text: string) => void;
  nowMs: () => number;
  /** Minimum time between two redraws (default 250 ms). */
  everyMs?: number;
}

/** A progress line: update() with bytes read so far, done() erases it. */
export interface Progress {
  update(readBytes: number): void;
  done(): void;
}

const MB = 1e6;

/** Draws `report: 83.2 / 157.4 MB (53 %)` with a carriage return, throttled. */
export function progressMeter(opts: ProgressOptions): Progress {
  const every = opts.everyMs ?? 250;
  let last = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(readBytes) {
      const now = opts.nowMs();
      if (now - last < every) return;
      last = now;
      drawn = true;
      const pct = opts.total > 0 ? Math.min(100, Math.floor((readBytes / opts.total) * 100)) : 100;
      opts.write(`\rreport: ${(readBytes / MB).toFixed(1)} / ${(opts.total / MB).toFixed(1)} MB (${pct} %)`);
    },
    done() {
      if (drawn) opts.write('\r\x1b[K');
    },
  };
}

/** A meter that draws nothing (small input, or stderr is not a terminal). */
export const noProgress: Progress = { update: () => undefined, done: () => undefined };
