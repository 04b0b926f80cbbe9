// Real outside programs for end-to-end tests (Prometheus, Alertmanager): free loopback ports, a child
// whose output is kept for the failure message, polling over HTTP with a deadline, and a kill of every
// child started (afterAll / afterEach).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';

/** A started program. */
export interface Proc {
  child: ChildProcess;
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Proc>();

/** A port nobody listens on right now on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The binary's path when it is installed, else null (the test says it is skipped and why). */
export function binary(path: string): string | null {
  return existsSync(path) ? path : null;
}

/** Starts a program; its stdout and stderr are kept. */
export function startProc(bin: string, args: string[], opts: { cwd?: string } = {}): Proc {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (out += s));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const proc: Proc = {
    child,
    output: () => out,
    async stop(graceMs = 3000) {
      running.delete(proc);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(proc);
  return proc;
}

/** Stops every program still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/** GETs `url` (JSON) every 200 ms until `ok(body)` returns a value, or fails after `timeoutMs` with `what`. */
export async function pollJson<T>(what: string, url: string, ok: (body: any) => T | undefined | false, opts: { timeoutMs?: number; headers?: Record<string, string>; proc?: Proc } = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  let last = '';
  for (;;) {
    try {
      const res = await fetch(url, { headers: opts.headers ?? {}, signal: AbortSignal.timeout(2000) });
      const text = await res.text();
      last = `HTTP ${res.status} ${text.slice(0, 500)}`;
      const got = res.ok ? ok(JSON.parse(text)) : undefined;
      if (got !== undefined && got !== false) return got;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last answer: ${last}${opts.proc ? `\n--- output:\n${opts.proc.output().slice(-3000)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
