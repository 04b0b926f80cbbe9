// Shared parts of the fault suite: strict log parsing (every line must be a JSON object), tmpfs mounts
// that afterEach always unmounts, and a CLI run that reports what the process read and its peak RSS.
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, type CliRun } from '../helpers/guard-env.js';

/** A record as tests read it. */
export type Rec = Record<string, any>;

/** Every line of an NDJSON file parsed; throws naming the line when one is torn or not an object. */
export function strictRecords(file: string): Rec[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${file}: the last line has no newline (torn): ${JSON.stringify(text.slice(-80))}`);
  return text.split('\n').filter((l) => l !== '').map((line, i) => {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${file}: line ${i + 1} is not JSON: ${JSON.stringify(line.slice(0, 120))}`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file}: line ${i + 1} is not an object`);
    return value as Rec;
  });
}

/** The event name of a record ('check' for a check record). */
export const eventOf = (r: Rec): string => (r.event as string | undefined) ?? 'check';

/** True when the check records' ts are strictly increasing. */
export function strictlyIncreasing(ts: string[]): boolean {
  return ts.every((t, i) => i === 0 || t > (ts[i - 1] as string));
}

const mounts: string[] = [];

/** Mounts a tmpfs of `size` (e.g. '128k') at a new folder `dir` (created); unmounted by unmountAll. */
export function mountTmpfs(dir: string, size: string, readOnly = false): void {
  mkdirSync(dir, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''},mode=0755`, 'tmpfs', dir]);
  mounts.push(dir);
}

/** Remounts a tmpfs read-only or read-write. */
export function remount(dir: string, readOnly: boolean): void {
  execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir]);
}

/** Unmounts every tmpfs mounted by mountTmpfs (lazily, so an open file cannot block it); for afterEach. */
export function unmountAll(): void {
  for (const dir of mounts.splice(0).reverse()) spawnSync('umount', ['-l', dir]);
}

/** True when this process may mount a tmpfs (root, in a namespace that allows it). */
export function canMountTmpfs(): boolean {
  const dir = join(tmpdir(), `ag-mount-probe-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', dir]).status === 0;
  if (ok) spawnSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
  return ok;
}

/** What a measured CLI run read and how much memory it took. */
export interface MeasuredRun extends CliRun {
  /** Bytes the process read through read(2)-like calls (/proc/self/io rchar) at exit. */
  rchar: number;
  /** Peak resident set size in KiB (VmHWM) at exit. */
  peakRssKb: number;
}

// Loaded with --import before the CLI: at exit, writes the process's read bytes and peak RSS.
const PRELOAD = `import { readFileSync, writeFileSync } from 'node:fs';
process.on('exit', () => {
  const io = readFileSync('/proc/self/io', 'utf8');
  const status = readFileSync('/proc/self/status', 'utf8');
  const rchar = Number(/^rchar: (\\d+)$/m.exec(io)[1]);
  const peakRssKb = Number(/^VmHWM:\\s+(\\d+) kB$/m.exec(status)[1]);
  writeFileSync(process.env.AG_FAULT_STATS, JSON.stringify({ rchar, peakRssKb }));
});
`;

/** Runs the built CLI with a preload that reports rchar and peak RSS at exit; `dir` holds the scratch files. */
export function runMeasured(dir: string, args: string[], timeoutMs = 30_000): Promise<MeasuredRun> {
  const preload = join(dir, 'measure-preload.mjs');
  const stats = join(dir, `stats-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(preload, PRELOAD);
  return new Promise((done) => {
    execFile(process.execPath, ['--import', preload, CLI, ...args], { env: { ...process.env, AG_FAULT_STATS: stats }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      const m = existsSync(stats) ? (JSON.parse(readFileSync(stats, 'utf8')) as { rchar: number; peakRssKb: number }) : { rchar: -1, peakRssKb: -1 };
      done({ code, stdout, stderr, ...m });
    });
  });
}

/** Generates a self-signed certificate for 127.0.0.1 with openssl; null when openssl is missing. */
export function selfSignedCert(dir: string): { key: string; cert: string; certFile: string } | null {
  if (spawnSync('openssl', ['version']).status !== 0) return null;
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** Sleeps `ms` (only for letting a real child process make progress). */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const children = new Set<ChildProcess>();

/** A daemon started with extra environment variables (e.g. libfaketime); killed by killSpawned. */
export interface EnvDaemon {
  child: ChildProcess;
  stderr(): string;
  exited: Promise<number | string>;
}

/** Starts `anomaly-guard run -c configFile --quiet` with `env` added to this process's environment. */
export function spawnDaemon(configFile: string, env: NodeJS.ProcessEnv): EnvDaemon {
  const child = spawn(process.execPath, [CLI, 'run', '-c', configFile, '--quiet'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => {
    children.delete(child);
    resolve(code ?? signal ?? -1);
  }));
  return { child, stderr: () => err, exited };
}

/** SIGKILLs every daemon spawnDaemon started and still running; for afterEach. */
export function killSpawned(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
}

/** The libfaketime preload library, or null when it is not installed. */
export function libfaketime(): string | null {
  const candidates = ['/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1', '/usr/local/lib/faketime/libfaketime.so.1'];
  return candidates.find((p) => existsSync(p)) ?? null;
}
