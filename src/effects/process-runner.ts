// Runs a child process without a shell and returns one result shape whatever happened (the execa model).
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Clock } from './clock.js';
import type { Containment, LeftProcess, OpenContainment } from './containment.js';
import { loadChildProcess } from './lazy-tls.js';

/** What to run, what to feed it and how long it may take. */
export interface RunRequest {
  argv: string[];
  input: string;
  timeoutMs: number;
  /** SIGTERM→SIGKILL delay for the process group, at most 5000. */
  killGraceMs: number;
  /** Bytes kept from the end of stdout and of stderr (default 4096). */
  tailBytes?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Told the child's pid (= its process group) once it is spawned and supervised; an error it throws is ignored. */
  onSpawn?: (pid: number) => void;
  /** Keep track of every process the child starts (a heal): its own cgroup where possible; see `containment`. */
  contain?: boolean;
}

/** Where a contained run's processes were kept, and those still running when it ended. */
export interface ContainmentReport {
  kind: 'cgroup' | 'process_group';
  /** The cgroup's path in the hierarchy; null for a process group. */
  cgroup: string | null;
  leftRunning: LeftProcess[];
}

/** How a run ended; the same shape for success, failure, timeout, abort and a spawn error. */
export interface RunResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  stdoutTail: string;
  stderrTail: string;
  error: string | null;
  /** Set for a run with `contain`. */
  containment: ContainmentReport | null;
}

/** Runs one child process to its end. */
export type ProcessRunner = (req: RunRequest) => Promise<RunResult>;

const DEFAULT_TAIL_BYTES = 4096;
const MAX_GRACE_MS = 5000;
const MAX_TIMER_MS = 2_147_483_647;
const DRAIN_MS = 100;
// After a forced stop, how long the killed processes may take to be gone before what is left is listed.
const SETTLE_MS = 1000;

/** The last bytes of a stream, trimmed as data arrives so memory stays bounded. */
export interface TailBuffer {
  push(chunk: Buffer): void;
  text(): string;
  /** Bytes currently held (at most about twice the limit). */
  readonly heldBytes: number;
}

/** Keeps the last `limit` bytes pushed; text() decodes them as UTF-8 without a broken leading char. */
export function tailBuffer(limit: number): TailBuffer {
  let chunks: Buffer[] = [];
  let held = 0;
  return {
    push(chunk) {
      if (limit <= 0 || chunk.length === 0) return;
      if (chunk.length >= limit) {
        chunks = [Buffer.from(chunk.subarray(chunk.length - limit))];
        held = limit;
        return;
      }
      chunks.push(chunk);
      held += chunk.length;
      while (chunks.length > 1 && held - chunks[0]!.length >= limit) held -= chunks.shift()!.length;
    },
    text: () => decodeTail(Buffer.concat(chunks, held).subarray(Math.max(0, held - limit))),
    get heldBytes() {
      return held;
    },
  };
}

// UTF-8 continuation bytes (10xxxxxx) at the start belong to a char cut off by the trim.
function decodeTail(buf: Buffer): string {
  let start = 0;
  while (start < 3 && start < buf.length && (buf[start]! & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString('utf8');
}

/** The runner's effects: the clock, and where a run with `contain` keeps its processes (none: not tracked). */
export interface RunnerDeps {
  clock: Pick<Clock, 'monoMs'>;
  containment?: OpenContainment;
}

/** The real runner: spawns without a shell, in its own process group (and cgroup), killed as a whole on timeout/abort. */
export function nodeProcessRunner(deps: RunnerDeps): ProcessRunner {
  return (req) => runProcess(req, deps);
}

async function runProcess(req: RunRequest, deps: RunnerDeps): Promise<RunResult> {
  const clock = deps.clock;
  const started = clock.monoMs();
  const limit = req.tailBytes ?? DEFAULT_TAIL_BYTES;
  const out = tailBuffer(limit);
  const err = tailBuffer(limit);
  const result = (fields: Partial<RunResult>): RunResult => ({
    exitCode: null, signal: null, timedOut: false, aborted: false, error: null, containment: null,
    durationMs: clock.monoMs() - started, stdoutTail: out.text(), stderrTail: err.text(), ...fields,
  });
  const argv0 = req.argv[0];
  if (argv0 === undefined || argv0 === '') return result({ error: 'no command given' });
  if (req.signal?.aborted) return result({ aborted: true });
  const contain = req.contain && deps.containment ? await deps.containment().catch(() => null) : null;
  const child = req.signal?.aborted ? null : contain ? contain.spawn(() => startChild(argv0, req, contain.env)) : startChild(argv0, req, {});
  if (child === null || typeof child === 'string') {
    contain?.close();
    return result({ ...(child === null ? { aborted: true } : { error: child }), containment: report(contain, []) });
  }
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  return supervise(child, req, result, () => clock.monoMs() - started, contain);
}

function startChild(argv0: string, req: RunRequest, extraEnv: Record<string, string>): ChildProcess | string {
  try {
    return loadChildProcess().spawn(argv0, req.argv.slice(1), {
      cwd: req.cwd, env: { ...(req.env ?? process.env), ...extraEnv }, detached: true, stdio: 'pipe', windowsHide: true,
    });
  } catch (e) {
    return spawnError(argv0, e, req.cwd);
  }
}

function supervise(
  child: ChildProcess, req: RunRequest,
  result: (fields: Partial<RunResult>) => RunResult, elapsed: () => number, contain: Containment | null,
): Promise<RunResult> {
  return new Promise((resolve) => {
    const killer = groupKiller(child.pid, req.killGraceMs, contain);
    // The timeout check sits beside the kill it causes.
    const timer = setTimeout(() => killer.terminate('timeout'), clampTimer(req.timeoutMs));
    const onAbort = (): void => killer.terminate('abort');
    req.signal?.addEventListener('abort', onAbort, { once: true });
    // Told only now, with the timeout and the abort armed: whatever the callback does, the child stays supervised.
    try {
      if (child.pid !== undefined) req.onSpawn?.(child.pid);
    } catch {
      // The caller reports its own failure; the run goes on.
    }
    const stopWatching = (): void => {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    };
    child.once('error', (e) => {
      if (child.pid !== undefined) return; // spawned fine; a later error (a failed kill) changes nothing
      stopWatching();
      contain?.close();
      resolve(result({ error: spawnError(req.argv[0] ?? '', e, req.cwd), durationMs: elapsed(), containment: report(contain, []) }));
    });
    child.once('exit', (code, signal) => {
      const durationMs = elapsed();
      stopWatching();
      killer.leaderExited();
      void drain(child)
        .then(() => leftRunning(contain, killer.reason !== null, child.pid))
        .then((left) => {
          contain?.close();
          const stop = { timedOut: killer.reason === 'timeout', aborted: killer.reason === 'abort' };
          resolve(result({ exitCode: code, signal, durationMs, ...stop, containment: report(contain, left) }));
        });
    });
    writeInput(child, req.input);
  });
}

type StopReason = 'timeout' | 'abort';

// SIGTERM to the whole group (and cgroup), SIGKILL after the grace if the leader still runs.
function groupKiller(pid: number | undefined, graceMs: number, contain: Containment | null) {
  let reason: StopReason | null = null;
  let graceTimer: NodeJS.Timeout | undefined;
  return {
    get reason() {
      return reason;
    },
    terminate(why: StopReason) {
      if (reason !== null) return;
      reason = why;
      signalGroup(pid, 'SIGTERM');
      contain?.signal('SIGTERM');
      graceTimer = setTimeout(() => killAll(pid, contain), Math.min(Math.max(0, graceMs), MAX_GRACE_MS));
    },
    leaderExited() {
      clearTimeout(graceTimer);
      // On a forced stop the leader had its chance to stop its children: strays left in the group (cgroup) die now.
      // After a normal exit they are left alone (a heal may start a service in the background).
      if (reason !== null) killAll(pid, contain);
    },
  };
}

function killAll(pid: number | undefined, contain: Containment | null): void {
  signalGroup(pid, 'SIGKILL');
  contain?.kill();
}

// What still runs inside once the run ended; after a forced stop, once what was killed is gone (at most SETTLE_MS).
async function leftRunning(contain: Containment | null, forced: boolean, pgid: number | undefined): Promise<LeftProcess[]> {
  if (contain === null) return [];
  const killed = (p: LeftProcess): boolean => contain.kind === 'cgroup' || p.pgid === pgid;
  let left = contain.members();
  for (let waited = 0; forced && waited < SETTLE_MS && left.some(killed); waited += 20) {
    await new Promise((r) => setTimeout(r, 20));
    left = contain.members();
  }
  return left;
}

function report(contain: Containment | null, leftRunning: LeftProcess[]): ContainmentReport | null {
  return contain === null ? null : { kind: contain.kind, cgroup: contain.cgroup, leftRunning };
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

// A grandchild may keep the pipes open: read what is buffered for a moment, then let go.
function drain(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      child.stdin?.destroy();
      resolve();
    };
    const timer = setTimeout(done, DRAIN_MS);
    child.once('close', done);
  });
}

function writeInput(child: ChildProcess, input: string): void {
  const stdin = child.stdin;
  if (stdin === null) return;
  stdin.on('error', () => {
    // EPIPE / ECONNRESET: the child does not read its stdin, which is its right.
  });
  stdin.end(input);
}

function spawnError(argv0: string, e: unknown, cwd: string | undefined): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  if (code === 'ENOENT' && cwd !== undefined && !existsSync(cwd)) return `cannot start ${argv0}: working folder not found: ${cwd}`;
  if (code === 'ENOENT') return `command not found: ${argv0}`;
  if (code === 'EACCES') return `permission denied: ${argv0}`;
  return `cannot start ${argv0}: ${code}`;
}

function clampTimer(ms: number): number {
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_TIMER_MS) : MAX_TIMER_MS;
}
