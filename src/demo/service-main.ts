// Process entry of the demo service: `node service.js --port N --host 127.0.0.1 --state DIR`.
import { readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import { sleep } from '../effects/clock.js';
import { serviceFiles, writeFileAtomic } from './control.js';
import { createDemoService } from './service.js';

const LISTEN_RETRY_MS = 3000;

// The parsed command line of the demo service.
interface ServiceArgs {
  port: number;
  host: string;
  stateDir: string | null;
}

// Parses the service's flags; an error text when one is invalid.
function parseServiceArgs(argv: string[]): ServiceArgs | string {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, state: { type: 'string' } },
    });
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port must be 0..65535, got "${values.port}"`;
    return { port, host: values.host ?? '127.0.0.1', stateDir: values.state ?? null };
  } catch (err) {
    return (err as Error).message;
  }
}

// Listens, retrying while the port is still held (the old instance not yet gone) for up to ~3 s.
async function listenWithRetry(server: Server, port: number, host: string): Promise<number> {
  const deadline = performance.now() + LISTEN_RETRY_MS;
  for (;;) {
    const result = await new Promise<NodeJS.ErrnoException | null>((resolve) => {
      server.once('error', resolve);
      server.listen(port, host, () => {
        server.off('error', resolve);
        resolve(null);
      });
    });
    if (result === null) return (server.address() as { port: number }).port;
    if (result.code !== 'EADDRINUSE' || performance.now() >= deadline) throw result;
    await sleep(100);
  }
}

function recordState(stateDir: string, port: number): void {
  const files = serviceFiles(stateDir);
  writeFileAtomic(files.port, `${port}\n`); // first the port: readers take a matching pid as "port is current"
  writeFileAtomic(files.pid, `${process.pid}\n`);
}

// On SIGTERM/SIGINT: stop answering, drop open (hung) connections, forget our pid file, exit 0.
function stopOnSignal(server: Server, stateDir: string | null): void {
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
    if (stateDir !== null) removeOwnPidFile(serviceFiles(stateDir).pid);
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function removeOwnPidFile(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
  } catch {
    // no pid file: nothing to forget
  }
}

async function main(): Promise<void> {
  const args = parseServiceArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`demo service: ${args}\nusage: service.js [--port N] [--host 127.0.0.1] [--state DIR]\n`);
    process.exit(2);
  }
  const server = createDemoService({ baseLatencyMs: 20, jitterMs: 2 });
  stopOnSignal(server, args.stateDir);
  try {
    const port = await listenWithRetry(server, args.port, args.host);
    if (args.stateDir !== null) recordState(args.stateDir, port);
    process.stdout.write(`listening ${port}\n`);
  } catch (err) {
    process.stderr.write(`demo service: cannot listen on ${args.host}:${args.port}: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

await main();
