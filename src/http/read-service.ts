// The policy in front of the read workers: identical requests share one read, answers are kept until the
// log changes (device, inode, size, mtime, ctime) or the next cycle, at most `maxQueue` distinct reads
// wait, and a request that waits longer than `waitMs` is answered "busy" (503, Retry-After) instead of
// being held; a read nobody waits for any more is stopped. Memory stays bounded: the queue, the cache
// (entries and bytes) and one read per worker. And all of it is paced (a token bucket, like nginx's
// limit_req with a burst): a client looping on the API waits for its turn, so even answers from the cache
// cost the daemon's thread a bounded amount of work a second; one that would wait past its deadline gets
// 503 at once.
import { statSync } from 'node:fs';
import { readKey, type ReadRequest } from './log-reads.js';
import { ReadOverrun, type ReadExecutor } from './read-pool.js';

/** A body, or why there is none right now (a 503 with Retry-After). */
export type ReadAnswer = { ok: true; bytes: Uint8Array } | { ok: false; busy: string; retryAfterS: number };

/** The API's reads of the log. */
export interface LogReads {
  /** The answer; rejects only when the read itself failed (the log could not be read: a 500). */
  read(req: ReadRequest): Promise<ReadAnswer>;
  close(): Promise<void>;
}

/** Limits and sources of the read service. */
export interface ReadServiceOptions {
  /** The cycle count: a new cycle starts a new cache. */
  generation(): number;
  /** Distinct reads waiting for a worker (default 8); more are refused. */
  maxQueue?: number;
  /** How long a request waits for its answer (default 10 s). */
  waitMs?: number;
  /** Cached answers: entries and bytes (default 64 and 16 MiB). */
  maxCached?: number;
  maxCachedBytes?: number;
  /** What identifies the log's content (default: its stat). */
  identity?(logFile: string): string;
  /** Requests a second, all clients together, and how many may come at once (default 10 and 20). */
  ratePerSecond?: number;
  burst?: number;
}

/** The Retry-After of a busy answer, in seconds. */
export const RETRY_AFTER_S = 5;

interface Job {
  key: string;
  stamp: string;
  req: ReadRequest;
  waiters: number;
  /** Aborted when the last waiter gives up while the read runs: its CPU goes back to the guard. */
  abandon: AbortController;
  done: Promise<Uint8Array>;
  settle(err: unknown, bytes?: Uint8Array): void;
}

/** Creates the service over `exec`. */
export function readService(exec: ReadExecutor, opts: ReadServiceOptions): LogReads {
  const maxQueue = opts.maxQueue ?? 8;
  const waitMs = opts.waitMs ?? 10_000;
  const identity = opts.identity ?? logIdentity;
  const cache = boundedCache(opts.maxCached ?? 64, opts.maxCachedBytes ?? 16 * 1024 * 1024);
  const queue: Job[] = [];
  const inflight = new Map<string, Job>();
  let running = 0;
  let closed = false;
  const pace = tokenBucket(opts.ratePerSecond ?? 10, opts.burst ?? 20);
  const forget = (job: Job): void => void (inflight.get(job.key) === job && inflight.delete(job.key));
  // Nobody waits for it any more: out of the queue, or stopped where it runs.
  const abandon = (job: Job): void => {
    const queued = queue.indexOf(job);
    if (queued >= 0) queue.splice(queued, 1);
    if (queued >= 0) forget(job);
    job.abandon.abort();
  };
  const busy = (why: string): ReadAnswer => ({ ok: false, busy: why, retryAfterS: RETRY_AFTER_S });
  const pump = (): void => {
    while (running < exec.slots && queue.length > 0) {
      const job = queue.shift() as Job;
      if (job.waiters === 0) {
        forget(job); // everyone gave up: nobody needs it
        continue;
      }
      running += 1;
      exec.run(job.req, job.abandon.signal).then(
        (bytes) => {
          cache.put(job.stamp, job.key, bytes);
          job.settle(null, bytes);
        },
        (err: unknown) => job.settle(err),
      ).finally(() => {
        running -= 1;
        forget(job);
        pump();
      });
    }
  };
  const wait = (job: Job): Promise<ReadAnswer> => {
    job.waiters += 1;
    return new Promise<ReadAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        job.waiters -= 1;
        if (job.waiters === 0) abandon(job);
        resolve(busy(`the log read took longer than ${waitMs / 1000} s; try again shortly`));
      }, waitMs);
      job.done.then(
        (bytes) => resolve({ ok: true, bytes }),
        (err: unknown) => (err instanceof ReadOverrun ? resolve(busy(err.message)) : reject(err)),
      ).finally(() => clearTimeout(timer));
    });
  };
  // The answer from the cache, from a read under way, or from a new read.
  const answer = (req: ReadRequest): Promise<ReadAnswer> => {
    const key = readKey(req);
    const stamp = `${opts.generation()}|${identity(req.logFile)}`;
    const hit = cache.get(stamp, key);
    if (hit !== undefined) return Promise.resolve({ ok: true, bytes: hit });
    let job = inflight.get(key);
    if (job === undefined || job.abandon.signal.aborted) {
      if (queue.length >= maxQueue) return Promise.resolve(busy(`the log read queue is full (${maxQueue} waiting); try again shortly`));
      job = newJob(key, stamp, req);
      inflight.set(key, job);
      queue.push(job);
    }
    const answered = wait(job);
    pump();
    return answered;
  };
  const rate = opts.ratePerSecond ?? 10;
  return {
    async read(req) {
      if (closed) return busy('the server is stopping');
      const turnMs = pace.take(waitMs);
      if (turnMs === null) return busy(`too many API requests (more than ${rate} a second); try again shortly`);
      if (turnMs > 0) await new Promise((r) => setTimeout(r, turnMs));
      return answer(req);
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.settle(new ReadOverrun('the server is stopping'));
      await exec.close();
    },
  };
}

function newJob(key: string, stamp: string, req: ReadRequest): Job {
  let settle: Job['settle'] = () => undefined;
  const done = new Promise<Uint8Array>((resolve, reject) => {
    settle = (err, bytes) => (err === null ? resolve(bytes as Uint8Array) : reject(err));
  });
  done.catch(() => undefined); // a job nobody waits for any more must not be an unhandled rejection
  return { key, stamp, req, waiters: 0, abandon: new AbortController(), done, settle };
}

/** The log's identity: device, inode, size and change times (ns); "absent" when there is none. */
export function logIdentity(logFile: string): string {
  try {
    const s = statSync(logFile, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  } catch {
    return 'absent';
  }
}

// Answers of one stamp (cycle + log identity); a new stamp empties it. Oldest entries leave first.
function boundedCache(maxEntries: number, maxBytes: number) {
  let stamp = '';
  let bytes = 0;
  const entries = new Map<string, Uint8Array>();
  return {
    get(at: string, key: string): Uint8Array | undefined {
      if (at !== stamp) {
        entries.clear();
        bytes = 0;
        stamp = at;
      }
      return entries.get(key);
    },
    put(at: string, key: string, value: Uint8Array): void {
      if (at !== stamp || value.byteLength > maxBytes) return; // the log changed while it was read
      bytes -= entries.get(key)?.byteLength ?? 0;
      entries.set(key, value);
      bytes += value.byteLength;
      for (const [k, v] of entries) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        entries.delete(k);
        bytes -= v.byteLength;
      }
    },
  };
}

// A token bucket that hands out turns: take() reserves the next one and says how long to wait for it (0 =
// now), or null (nothing reserved) when that would be longer than `maxWaitMs`.
function tokenBucket(perSecond: number, burst: number) {
  let tokens = burst;
  let at = performance.now();
  return {
    take(maxWaitMs: number): number | null {
      const now = performance.now();
      tokens = Math.min(burst, tokens + ((now - at) * perSecond) / 1000);
      at = now;
      const waitMs = tokens >= 1 ? 0 : ((1 - tokens) * 1000) / perSecond;
      if (waitMs > maxWaitMs) return null;
      tokens -= 1;
      return waitMs;
    },
  };
}
