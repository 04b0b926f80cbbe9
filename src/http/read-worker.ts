// The read worker's entry (a node:worker_threads thread, dist/http/read-worker.js): takes one
// { id, req } at a time, says { id, started } as it begins (the run limit counts from there, not from the
// worker's start-up), then answers { id, bytes } (the buffer transferred, not copied) or { id, error }.
// It lowers its own scheduling priority first, so a busy reader yields the CPU to the probe.
import { parentPort } from 'node:worker_threads';
import { logReader } from './log-reads.js';
import { lowerThreadPriority } from './thread-priority.js';
import type { ReadRequest } from './log-reads.js';

/** A message to the worker. */
export interface ReadJob {
  id: number;
  req: ReadRequest;
}

/** A message from the worker. */
export type ReadReply = { id: number; started: true } | { id: number; bytes: Uint8Array } | { id: number; error: string };

if (parentPort !== null) {
  const port = parentPort;
  const reader = logReader();
  lowerThreadPriority();
  port.on('message', ({ id, req }: ReadJob) => {
    port.postMessage({ id, started: true } satisfies ReadReply);
    let reply: ReadReply;
    try {
      reply = { id, bytes: reader.bytes(req) };
    } catch (err) {
      reply = { id, error: (err as Error)?.message ?? String(err) };
    }
    port.postMessage(reply, 'bytes' in reply ? [reply.bytes.buffer as ArrayBuffer] : []);
  });
}
