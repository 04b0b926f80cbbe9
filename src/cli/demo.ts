// `anomaly-guard demo`: starts the bundled demo service, guards it every 1.5 s in a temporary folder,
// breaks it on purpose (spike, Degraded, hang, crash) and shows detection and healing live.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDuration } from '../config/duration.js';
import { validateConfig } from '../config/load.js';
import { runCycle } from '../cycle/check-cycle.js';
import { injectFault, startDemoService, stopDemoService } from '../demo/control.js';
import { sleep } from '../effects/clock.js';
import { GuardError } from '../errors.js';
import { DEMO_INTERVAL_MS, DEMO_SCRIPT, demoConfig } from './demo-script.js';
import { demoSummary, type DemoTally } from './demo-summary.js';
import { realCycleDeps } from './real-deps.js';
import { formatRecordLine } from './render-record.js';

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function distFile(rel: string): string {
  // This module is bundled into dist/cli or dist/chunks: both sit one level below dist/.
  return fileURLToPath(new URL(`../${rel}`, import.meta.url));
}

/** Runs the demo for --duration (default 50s) or until Ctrl-C; exit 0. */
export default async function demo(opts: Record<string, unknown>): Promise<number> {
  const durationMs = parseDuration(opts.duration ?? '50s');
  if (durationMs === null || durationMs <= 0) throw new GuardError('USAGE', `--duration ${String(opts.duration)} is not a duration`, { hint: 'use e.g. --duration 45s or --duration 2m' });
  const dir = typeof opts.dir === 'string' ? resolve(opts.dir) : mkdtempSync(join(tmpdir(), 'anomaly-guard-demo-'));
  const stateDir = join(dir, 'service');
  mkdirSync(stateDir, { recursive: true });
  const servicePath = distFile('demo/service.js');
  const stop = new AbortController();
  const onSignal = (): void => stop.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  let started: { port: number; pid: number };
  try {
    started = await startDemoService({ servicePath, stateDir });
  } catch (err) {
    throw new GuardError('DEMO_FAILED', `the demo service did not start: ${(err as Error).message}`, { hint: 'run `npm run build` and try again' });
  }
  try {
    return await guardLoop(dir, stateDir, servicePath, started, durationMs, stop.signal);
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await stopDemoService(stateDir);
  }
}

async function guardLoop(dir: string, stateDir: string, servicePath: string, started: { port: number; pid: number }, durationMs: number, signal: AbortSignal): Promise<number> {
  const heal = [process.execPath, distFile('demo/restart.js'), '--state', stateDir, '--service', servicePath];
  const raw = demoConfig(dir, started.port, heal);
  const configFile = join(dir, 'anomaly-guard.yaml');
  writeFileSync(configFile, `${JSON.stringify(raw, null, 2)}\n`);
  const { config } = validateConfig(raw, { file: configFile, baseDir: dir });
  const deps = realCycleDeps(config, (line) => out(`  ! ${line}`));
  const base = `http://127.0.0.1:${started.port}`;
  out(`demo service (pid ${started.pid}) on ${base}/health; guarding it every ${DEMO_INTERVAL_MS / 1000} s for ${Math.round(durationMs / 1000)} s (Ctrl-C stops)`);
  out(`log: ${config.logFile}\nfirst ${config.latency.minSamples} cycles build the latency baseline, then faults are injected on purpose.\n`);
  const tally: DemoTally = { cycles: 0, injected: [], records: [] };
  const t0 = Date.now();
  try {
    for (let cycle = 1; Date.now() - t0 < durationMs && !signal.aborted; cycle++) {
      const fault = DEMO_SCRIPT.find((f) => f.cycle === cycle);
      if (fault) {
        out(`>>> cycle ${cycle}: injecting fault: ${fault.says}`);
        await injectFault(base, fault.mode, fault.query ?? {});
        tally.injected.push({ mode: fault.label ?? fault.mode, atMs: Date.now() });
      }
      const cycleStart = Date.now();
      const result = await runCycle(config, deps, { signal });
      tally.cycles = cycle;
      tally.records.push(...result.records);
      for (const record of result.records) out(`  ${formatRecordLine(record)}`);
      await sleep(Math.max(0, DEMO_INTERVAL_MS - (Date.now() - cycleStart)), signal);
    }
  } catch (err) {
    if (!signal.aborted) throw err;
    out('\ninterrupted.');
  } finally {
    deps.close();
  }
  out(`\n${demoSummary(tally)}`);
  out(`\nthe log stays for you to explore:\n  anomaly-guard status -c ${configFile}\n  anomaly-guard tail -n 30 -c ${configFile}\n  grep anomaly_trigger ${config.logFile} | jq .`);
  return 0;
}
