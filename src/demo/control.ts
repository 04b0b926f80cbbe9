// Drives the demo service from outside: its state files, starting and stopping it, and fault injection.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { sleep } from '../effects/clock.js';

/** Where the demo service keeps its pid and port, and where its output goes. */
export function serviceFiles(stateDir: string): { pid: string; port: string; log: string } {
  return {
    pid: path.join(stateDir, 'service.pid'),
    port: path.join(stateDir, 'service.port'),
    log: path.join(stateDir, 'service.log'),
  };
}

/** Writes a file so readers see the old or the new text, never a torn one (tmp + rename). */
export function writeFileAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The pid and port the demo service last recorded (null when missing or unreadable). */
export function readServiceState(stateDir: string): { pid: number | null; port: number | null } {
  const files = serviceFiles(stateDir);
  return { pid: readPositiveInt(files.pid), port: readPositiveInt(files.port) };
}

function readPositiveInt(file: string): number | null {
  try {
    const n = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid runs; a zombie (exited, not yet reaped by its parent or init) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

// An orphan that exited stays a zombie until init reaps it, which can take seconds; kill(pid, 0) still succeeds.
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false; // no procfs: trust kill(pid, 0)
  }
}

/** Polls `predicate` every `intervalMs` until it holds (true), the timeout passes or the signal aborts (false). */
export async function waitUntil(
  predicate: () => boolean | Promise<boolean>,
  opts: { timeoutMs: number; signal?: AbortSignal; intervalMs?: number },
): Promise<boolean> {
  const deadline = performance.now() + opts.timeoutMs;
  for (;;) {
    if (opts.signal?.aborted) return false;
    if (await predicate()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(opts.intervalMs ?? 50, opts.signal).catch(() => undefined);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; says how the process ended. A pid that is gone is not an error. */
export async function terminate(
  pid: number,
  opts: { graceMs: number; signal?: AbortSignal },
): Promise<'not-running' | 'terminated' | 'killed'> {
  if (!sendSignal(pid, 'SIGTERM')) return 'not-running';
  const gone = await waitUntil(() => !isAlive(pid), { timeoutMs: opts.graceMs, signal: opts.signal });
  if (gone) return 'terminated';
  sendSignal(pid, 'SIGKILL');
  await waitUntil(() => !isAlive(pid), { timeoutMs: 500, signal: opts.signal });
  return 'killed';
}

function sendSignal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false; // ESRCH: already gone; EPERM: not ours to stop
  }
}

/** One small HTTP request without keep-alive; null on any failure (refused, reset, timeout). */
export function requestJson(
  method: 'GET' | 'POST',
  url: string,
  timeoutMs: number,
): Promise<{ status: number; body: unknown } | null> {
  return new Promise((resolve) => {
    const req = http.request(url, { method, agent: false, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseJson(Buffer.concat(chunks).toString()) }));
      res.on('error', () => resolve(null));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', () => resolve(null));
    req.end();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** POSTs `/fault/<mode>` to the demo service; true when it answered 2xx. Never throws. */
export async function injectFault(baseUrl: string, mode: string, query: Record<string, string> = {}): Promise<boolean> {
  try {
    const url = new URL(`fault/${encodeURIComponent(mode)}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const res = await requestJson('POST', url.href, 2000);
    return res !== null && res.status >= 200 && res.status < 300;
  } catch {
    return false; // a malformed base URL
  }
}

/** Starts the service detached in its own process group (output appended to service.log); returns its pid. */
export function spawnDetachedService(servicePath: string, stateDir: string, port: number): number {
  const logFd = openSync(serviceFiles(stateDir).log, 'a');
  try {
    const args = [servicePath, '--port', String(port), '--host', '127.0.0.1', '--state', stateDir];
    const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', logFd, logFd] });
    child.on('error', () => undefined); // a failed spawn shows as a missing pid below
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${process.execPath} ${servicePath}`);
    return child.pid;
  } finally {
    closeSync(logFd);
  }
}

/** Starts the demo service and waits until it recorded its pid and port (it writes them once listening). */
export async function startDemoService(opts: {
  servicePath: string;
  stateDir: string;
  port?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<{ port: number; pid: number }> {
  if (!existsSync(opts.servicePath)) throw new Error(`demo service not found at ${opts.servicePath}; run the build first`);
  const pid = spawnDetachedService(opts.servicePath, opts.stateDir, opts.port ?? 0);
  const seen: { port: number | null } = { port: null };
  await waitUntil(
    () => {
      const st = readServiceState(opts.stateDir);
      seen.port = st.pid === pid ? st.port : null; // the port file is written before the pid file
      return seen.port !== null || !isAlive(pid);
    },
    { timeoutMs: opts.timeoutMs ?? 5000, signal: opts.signal },
  );
  if (seen.port !== null) return { port: seen.port, pid };
  await terminate(pid, { graceMs: 500 });
  throw new Error(`demo service did not start within ${opts.timeoutMs ?? 5000} ms; see ${serviceFiles(opts.stateDir).log}`);
}

/** Whether a recorded pid still runs the demo service (guards against a stale pid file and a reused pid). */
export function isDemoServiceProcess(pid: number, procfs = '/proc'): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(path.join(procfs, String(pid), 'cmdline'), 'utf8').includes('service');
  } catch {
    return !existsSync(path.join(procfs, 'self')); // no procfs on this platform: trust the pid file
  }
}

/** Stops the demo service recorded in `<stateDir>/service.pid`: SIGTERM, SIGKILL after 2 s; a missing one is fine. */
export async function stopDemoService(stateDir: string, opts: { signal?: AbortSignal } = {}): Promise<void> {
  const { pid } = readServiceState(stateDir);
  if (pid !== null && isDemoServiceProcess(pid)) await terminate(pid, { graceMs: 2000, signal: opts.signal });
}
