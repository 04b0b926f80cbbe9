// The real daemon as a child process for end-to-end tests: `node dist/cli/main.js run -c FILE`, its
// stderr collected, polling waits with a timeout, and every child killed by `killAll` (afterEach).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { CLI } from '../helpers/guard-env.js';

/** A running daemon. */
export interface Daemon {
  child: ChildProcess;
  pid: number;
  /** Everything it wrote on stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once it exited. */
  exited: Promise<number | string>;
  /** Sends a signal and waits (at most `timeoutMs`) for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | string>;
}

const children = new Set<ChildProcess>();

/** Starts `anomaly-guard run -c configFile` with extra args. */
export function startDaemon(configFile: string, args: string[] = []): Daemon {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test builds before vitest)`);
  const child = spawn(process.execPath, [CLI, 'run', '-c', configFile, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal ?? -1);
    });
  });
  return {
    child,
    pid: child.pid ?? -1,
    stderr: () => err,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 5000) {
      timeoutMs = Math.max(timeoutMs, MIN_WAIT_MS); // a cycle in flight finishes first; it may be slow here
      child.kill(signal);
      return withTimeout(exited, timeoutMs, `daemon pid ${child.pid} did not exit within ${timeoutMs} ms of ${signal}; stderr:\n${err}`);
    },
  };
}

/** Kills every daemon still running (SIGKILL); for afterEach. */
export function killAll(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/** The least any wait gets: on a slow, busy machine a daemon's first cycles can take seconds each. A wait ends as
 * soon as its condition holds, so a long bound costs nothing when things are quick. */
export const MIN_WAIT_MS = 45_000;

/** Polls `probe` every 50 ms until it returns a value other than undefined/false, or fails after `timeoutMs`
 * (at least MIN_WAIT_MS). */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  timeoutMs = Math.max(timeoutMs, MIN_WAIT_MS);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = probe();
    if (got !== undefined && got !== false) return got;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The lines of a text file without their timestamps (scheduler.log), [] when it does not exist. */
export function schedulerLines(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => l.replace(/^\S+ /, ''));
}

/** Milliseconds between consecutive ISO timestamps. */
export function gapsMs(ts: string[]): number[] {
  return ts.slice(1).map((t, i) => Date.parse(t) - Date.parse(ts[i] as string));
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
