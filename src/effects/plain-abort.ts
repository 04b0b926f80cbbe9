// A plain abort line: what a request or a loop watches to end early, with the few calls they make on an AbortSignal.
// Not an AbortController: on Node 20 an AbortSignal outlives the young-generation collections even once nothing refers
// to it (measured: a loop making one per request promotes ~270 KB a collection, none without it), and what its
// listeners reach is promoted with it; one per probe or per target loop was a steady stream of old-generation garbage
// at 10,000 targets (bench/README.md, scale round 6).

/** An abort flag with listeners, called once when it aborts. */
export class PlainAbort {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> = [];

  /** Aborts (once) and calls the listeners. */
  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  /** Calls `listener` when it aborts (never once it has: as an AbortSignal does). */
  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) this.listeners.push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners.indexOf(listener);
    if (i >= 0) this.listeners.splice(i, 1);
    if (this.listeners.length === 0) this.listeners = []; // an emptied list keeps its capacity: ~150 B each kept for nothing
  }
}
