// The demo's heal command: `node restart.js --state DIR --service PATH` restarts the demo service as a
// new process on the same port. It gets the anomaly_trigger record as JSON on stdin.
import { parseArgs } from 'node:util';
import {
  isAlive,
  isDemoServiceProcess,
  readServiceState,
  requestJson,
  serviceFiles,
  spawnDetachedService,
  terminate,
  waitUntil,
} from './control.js';

const STDIN_TIMEOUT_MS = 1000;
const KILL_GRACE_MS = 2000;
const READY_TIMEOUT_MS = 5000;

// Reads all of stdin (the trigger record); gives up after a short wait so a forgotten pipe cannot block the heal.
function readStdin(timeoutMs: number): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (): void => {
      clearTimeout(timer);
      process.stdin.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, timeoutMs);
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.once('end', done);
    process.stdin.once('error', done);
  });
}

// One line naming the trigger's reasons, e.g. "trigger: health_unhealthy (status=Degraded)".
function summarizeTrigger(text: string): string {
  try {
    const record = JSON.parse(text) as { reasons?: unknown };
    const reasons = Array.isArray(record.reasons) ? record.reasons.map(String) : [];
    return `trigger: ${reasons.length > 0 ? reasons.join('; ') : '(no reasons given)'}`;
  } catch {
    return 'trigger: (no anomaly_trigger JSON on stdin)';
  }
}

function parseRestartArgs(argv: string[]): { stateDir: string; servicePath: string } | string {
  try {
    const { values } = parseArgs({ args: argv, options: { state: { type: 'string' }, service: { type: 'string' } } });
    if (values.state === undefined || values.service === undefined) return '--state DIR and --service PATH are required';
    return { stateDir: values.state, servicePath: values.service };
  } catch (err) {
    return (err as Error).message;
  }
}

// Waits until the new process recorded its pid and answers GET /health with 200 (or has died).
async function waitReady(stateDir: string, newPid: number, port: number): Promise<boolean> {
  const url = `http://127.0.0.1:${port}/health`;
  let healthy = false;
  await waitUntil(
    async () => {
      if (!isAlive(newPid)) return true;
      if (readServiceState(stateDir).pid !== newPid) return false;
      healthy = (await requestJson('GET', url, 1000))?.status === 200;
      return healthy;
    },
    { timeoutMs: READY_TIMEOUT_MS, intervalMs: 100 },
  );
  return healthy;
}

function fail(message: string): never {
  process.stderr.write(`restart failed: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  const args = parseRestartArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`restart: ${args}\nusage: restart.js --state DIR --service PATH_TO_service.js\n`);
    process.exit(2);
  }
  process.stdout.write(`${summarizeTrigger(await readStdin(STDIN_TIMEOUT_MS))}\n`);
  const files = serviceFiles(args.stateDir);
  const { pid: oldPid, port } = readServiceState(args.stateDir);
  if (port === null) fail(`no port recorded in ${files.port}; start the demo service first`);
  if (oldPid !== null && isDemoServiceProcess(oldPid)) await terminate(oldPid, { graceMs: KILL_GRACE_MS });
  const newPid = spawnDetachedService(args.servicePath, args.stateDir, port);
  if (!(await waitReady(args.stateDir, newPid, port))) {
    fail(`new service (pid ${newPid}) did not answer http://127.0.0.1:${port}/health within ${READY_TIMEOUT_MS} ms; see ${files.log}`);
  }
  process.stdout.write(`restarted demo service: pid ${oldPid ?? 'none'} → ${newPid} on port ${port}\n`);
  process.exit(0);
}

await main();
