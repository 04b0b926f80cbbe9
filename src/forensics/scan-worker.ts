// The entry of a scan worker thread (dist/forensics/scan-worker.js): runs each task it is sent and posts
// the bytes it reads and the task's result.
import { parentPort } from 'node:worker_threads';
import type { WorkerMessage, WorkerRequest } from './scan-pool.js';
import { runTask } from './scan-task.js';

const port = parentPort;
if (port !== null) {
  const post = (msg: WorkerMessage): void => port.postMessage(msg);
  port.on('message', ({ task, opts }: WorkerRequest) => {
    runTask(task, opts, (bytes) => post({ type: 'bytes', bytes })).then(
      (result) => post({ type: 'done', result }),
      (err: unknown) => post({ type: 'failed', message: (err as Error).message }),
    );
  });
}
