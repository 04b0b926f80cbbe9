// The guards of `npm run bench:harm`: one config per profile (everything equal but `profile`, and the scaled
// profile default heal.grace), the real built daemon in a child process, and its NDJSON log read back.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** The bench's cadence: 2 s instead of the default 5 minutes, a factor of 150. */
export const INTERVAL_MS = 2000;
/** Health timeout of the bench config (scaled keys are listed in bench/README.md#do-no-harm). */
export const HEALTH_TIMEOUT_MS = 2000;

/** The config text for `profile` guarding the service on `ports`, with its procfs folder. */
export function configText(profile, ports, procfs) {
  return `# bench/harm: profile ${profile}; the keys below are scaled for a 2 s interval (bench/README.md#do-no-harm)
profile: ${profile}
interval: ${INTERVAL_MS / 1000}s    # 5m / 150
cycle_timeout: 12s               # 60s: kept at 6 x health.timeout, so a hang gets the re-probes it gets at the defaults
log_file: guard.ndjson
scheduler_log: scheduler.log
health:
  url: http://127.0.0.1:${ports.health}/health
  timeout: ${HEALTH_TIMEOUT_MS / 1000}s                     # 10s: twice the 100x slowdown (1 s), so it is measured, not timed out
resources:
  procfs: ${procfs}               # stat is /proc/stat; meminfo is /proc/meminfo or the bench's pressure copy
heal:
  command: [curl, -fsS, -m, "2", -X, POST, "http://127.0.0.1:${ports.control}/restart"]
  kill_grace: 1s                  # 5s, as cycle_timeout
  verify_after: 2s                # 10s, as cycle_timeout
  grace: ${profile === 'safe' ? '200ms' : '0s'}                    # the profile's default (30s / 0s) / 150: shorter than one interval, as at 5m
  backoff_reset: 12s              # 30m / 150
  resume_after: 12s               # 30m / 150
`;
}

/** Writes the config into `dir` and starts `anomaly-guard run` on it; its stdout and stderr go to daemon.out. */
export function startGuard(dir, profile, ports, procfs) {
  fs.mkdirSync(dir, { recursive: true });
  const config = path.join(dir, 'guard.yaml');
  fs.writeFileSync(config, configText(profile, ports, procfs));
  const out = fs.openSync(path.join(dir, 'daemon.out'), 'a');
  const child = spawn(process.execPath, [MAIN, 'run', '--quiet', '-c', config], { cwd: dir, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { profile, dir, child, exited, logFile: path.join(dir, 'guard.ndjson') };
}

/** SIGTERM (the cycle in flight finishes), then SIGKILL if it has not exited within 20 s. */
export async function stopGuard(guard) {
  if (guard.child.exitCode !== null || guard.child.signalCode !== null) return guard.exited;
  guard.child.kill('SIGTERM');
  const timer = setTimeout(() => guard.child.kill('SIGKILL'), 20_000);
  const result = await guard.exited;
  clearTimeout(timer);
  return result;
}

/** The log's records (a torn last line is skipped), each with `ms`: its ts as epoch milliseconds. */
export function readLog(logFile) {
  let text = '';
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
  }
  const records = [];
  for (const line of text.split('\n')) {
    try {
      const r = JSON.parse(line);
      records.push({ ...r, ms: Date.parse(r.ts) });
    } catch {
      // an empty or torn line
    }
  }
  return records;
}
