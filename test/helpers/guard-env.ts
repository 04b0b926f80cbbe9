// A throwaway guard setup for end-to-end tests: a temp folder, a config written as JSON, the built CLI
// run as a real child process, and the log read back as objects.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built CLI (npm test builds before vitest runs). */
export const CLI = resolve('dist/cli/main.js');
/** A captured /proc tree: cpu constant (0 % over a sample), mem 30 %. */
export const PROC_IDLE = resolve('test/fixtures/proc/idle');
/** A captured /proc tree with mem at 95 %. */
export const PROC_BUSY = resolve('test/fixtures/proc/busy');
/** Tiny scripts used as heal and alert commands. */
export const SCRIPTS = resolve('test/fixtures/scripts');

/** What a CLI run gave. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** A temp folder with a config and a log. */
export interface GuardEnv {
  dir: string;
  configFile: string;
  logFile: string;
  /** Writes the config (merged over quiet test defaults). */
  writeConfig(config: Record<string, unknown>): void;
  /** Runs the CLI with -c <config> appended. */
  run(args: string[], opts?: { env?: NodeJS.ProcessEnv }): Promise<CliRun>;
  /** The log's records, parsed. */
  records(): Record<string, unknown>[];
  /** Writes records (or raw lines) as the log's existing content. */
  seedLog(lines: (object | string)[]): void;
  cleanup(): void;
}

/** Runs the built CLI with args; never rejects. */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...opts.env }, cwd: opts.cwd, timeout: opts.timeoutMs ?? 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** Creates a temp guard environment whose health URL is `url`. */
export function guardEnv(url: string): GuardEnv {
  const dir = mkdtempSync(join(tmpdir(), 'ag-e2e-'));
  const configFile = join(dir, 'anomaly-guard.json');
  const logFile = join(dir, 'logs', 'anomaly_guard.ndjson');
  const env: GuardEnv = {
    dir,
    configFile,
    logFile,
    writeConfig(config) {
      // profile: seed, the seed's literal one-sample rules: these tests pin exact records; profile safe sets it itself.
      const base = {
        profile: 'seed',
        log_file: 'logs/anomaly_guard.ndjson',
        health: { url, timeout: '2s' },
        resources: { procfs: PROC_IDLE, cpu_sample: '50ms' },
        heal: { verify_after: '0s' },
      };
      writeFileSync(configFile, JSON.stringify(deepMerge(base, config), null, 2));
    },
    run: (args, opts) => runCli([...args, '-c', configFile], opts),
    records: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : []),
    seedLog(lines) {
      const text = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n');
      mkdirSync(join(dir, 'logs'), { recursive: true });
      writeFileSync(logFile, `${text}\n`);
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  env.writeConfig({});
  return env;
}

/** Merges plain objects (arrays and scalars replace). */
export function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isPlain(prev) && isPlain(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `n` ok check records ending `endMs` ago-ish, one per `stepMs`, with the given latencies (oldest first). */
export function seedChecks(latencies: number[], opts: { endMs?: number; stepMs?: number } = {}): object[] {
  const end = opts.endMs ?? Date.now() - 60_000;
  const step = opts.stepMs ?? 300_000;
  return latencies.map((latency_ms, i) => ({
    ts: new Date(end - (latencies.length - 1 - i) * step).toISOString().replace('Z', '000Z'),
    lat: { latency_ms, ok: true },
    res: { cpu: 10, mem: 30, disk: 50 },
    score: null,
    mean: null,
    stdev: null,
  }));
}
