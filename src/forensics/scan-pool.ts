// Runs read tasks on worker threads: each worker takes the next task when it is done with one, posts the
// bytes it reads (for the progress line) and the task's result; results come back in task order.
import type { Worker } from 'node:worker_threads';
import type { ReadTask } from './record-reader.js';
import type { TaskOptions, TaskResult } from './scan-task.js';

/** A message from a scan worker. */
export type WorkerMessage = { type: 'bytes'; bytes: number } | { type: 'done'; result: TaskResult } | { type: 'failed'; message: string };

/** A message to a scan worker. */
export interface WorkerRequest {
  task: ReadTask;
  opts: TaskOptions;
}

// One worker taking tasks from the shared queue until it is empty.
function drive(worker: Worker, next: () => number, tasks: ReadTask[], opts: TaskOptions, results: TaskResult[], onBytes: (n: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let current = 0;
    const send = (): void => {
      current = next();
      if (current >= tasks.length) resolve();
      else worker.postMessage({ task: tasks[current] as ReadTask, opts } satisfies WorkerRequest);
    };
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.type === 'bytes') onBytes(msg.bytes);
      else if (msg.type === 'failed') reject(new Error(msg.message));
      else {
        results[current] = msg.result;
        send();
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a scan worker stopped (exit ${code})`)));
    send();
  });
}

/** Runs the tasks on `threads` workers started from workerUrl; the results in task order. */
export async function runOnWorkers(workerUrl: URL, threads: number, tasks: ReadTask[], opts: TaskOptions, onBytes: (n: number) => void): Promise<TaskResult[]> {
  // worker_threads is loaded only when a scan uses threads: a one-thread report does not pay for it.
  const { Worker } = await import('node:worker_threads');
  const workers = Array.from({ length: Math.max(1, Math.min(threads, tasks.length)) }, () => new Worker(workerUrl));
  const results: TaskResult[] = new Array(tasks.length);
  let taken = 0;
  try {
    await Promise.all(workers.map((w) => drive(w, () => taken++, tasks, opts, results, onBytes)));
    return results;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
