// Runs log reads in node:worker_threads workers, one read per worker at a time, so no log scan and no
// JSON work of the API ever runs on the daemon's thread (where the probe is timed). A worker that dies
// (out of memory, a crash) fails its read and is replaced at the next one; a read past `runLimitMs` has
// its worker stopped. Workers start at first use, are unref'd, and have a bounded heap.
import { Worker } from 'node:worker_threads';
import type { ReadRequest } from './log-reads.js';
import type { ReadJob, ReadReply } from './read-worker.js';

/** Runs reads somewhere, at most `slots` at once. */
export interface ReadExecutor {
  readonly slots: number;
  /** Runs one read; called only while fewer than `slots` run. An abort (nobody waits for the answer any
   * more) stops it: the promise rejects with ReadOverrun. */
  run(req: ReadRequest, signal?: AbortSignal): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A read stopped at the run limit. */
export class ReadOverrun extends Error {}

/** How the pool runs its workers. */
export interface PoolOptions {
  /** The built worker file (dist/http/read-worker.js). */
  file: URL | string;
  /** Workers, i.e. reads at once (default 1: one core at most for readers). */
  size?: number;
  /** A read running longer (from when the worker began it) has its worker stopped (default 60 s). */
  runLimitMs?: number;
  /** The heap limit of each worker in MiB (default 256). */
  maxHeapMb?: number;
}

interface Slot {
  worker: Worker | null;
  busy: boolean;
}

/** Creates the pool. */
export function workerPool(opts: PoolOptions): ReadExecutor {
  const slots: Slot[] = Array.from({ length: Math.max(1, opts.size ?? 1) }, () => ({ worker: null, busy: false }));
  const limitMs = opts.runLimitMs ?? 60_000;
  let seq = 0;
  const spawn = (): Worker => {
    const worker = new Worker(opts.file, { resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb ?? 256 } });
    worker.unref();
    return worker;
  };
  return {
    slots: slots.length,
    run(req, signal) {
      const slot = slots.find((s) => !s.busy);
      if (slot === undefined) return Promise.reject(new Error('read pool: no free worker (a caller ran more reads than slots)'));
      try {
        slot.worker ??= spawn();
      } catch (err) {
        return Promise.reject(new Error(`the read worker could not start: ${(err as Error).message}`));
      }
      slot.busy = true;
      return runOn(slot, slot.worker, { id: ++seq, req }, limitMs, signal).finally(() => (slot.busy = false));
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker?.terminate()));
      for (const s of slots) s.worker = null;
    },
  };
}

// One read on one worker: its reply, its death, the run limit or the abort, whichever comes first.
function runOn(slot: Slot, worker: Worker, job: ReadJob, limitMs: number, signal?: AbortSignal): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const settle = (err: Error | null, bytes?: Uint8Array): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (err !== null) reject(err);
      else resolve(bytes as Uint8Array);
    };
    const dropWorker = (): void => {
      if (slot.worker === worker) slot.worker = null;
    };
    const onMessage = (reply: ReadReply): void => {
      if (reply.id !== job.id) return;
      if ('started' in reply) return void (timer = setTimeout(overrun, limitMs));
      settle('error' in reply ? new Error(reply.error) : null, 'bytes' in reply ? reply.bytes : undefined);
    };
    const onError = (err: Error): void => {
      dropWorker();
      settle(new Error(`the read worker failed: ${err.message}`));
    };
    const onExit = (code: number): void => {
      dropWorker();
      settle(new Error(`the read worker stopped (exit ${code})`));
    };
    const stop = (why: string): void => {
      dropWorker();
      void worker.terminate();
      settle(new ReadOverrun(why));
    };
    const overrun = (): void => stop(`the log read ran past ${limitMs / 1000} s and was stopped`);
    const onAbort = (): void => stop('the log read was stopped: nobody waits for it any more');
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(job);
  });
}
