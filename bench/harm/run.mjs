#!/usr/bin/env node
// `npm run bench:harm`: does the guard do harm on a busy shared host? Two loopback services, two real daemons
// (`profile: safe` and `profile: seed`, everything else equal) side by side at a 2 s interval: a quiet warm-up,
// a busy neighbour (CPU bursts on every core, single 50x slow answers, memory pressure), then real faults one
// after another (hang, 503, a 100x slowdown a restart fixes, one it does not). Prints a side-by-side table.
// Usage: node bench/harm/run.mjs [--runs 3] [--noise-cycles 150] [--sticky-cycles 30] [--seed 1] [--slow-p 0.05] [--json] [--keep DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyseGuard, cycleStarts } from './analyse.mjs';
import { cleanup, control, owned, startService } from './children.mjs';
import { readLog, startGuard, stopGuard } from './guard.mjs';
import { loadSampler } from './machine.mjs';
import { fakeProcfs } from './neighbour.mjs';
import { runFaults, runNoise, waitCycles } from './phases.mjs';
import { markdownTable } from './table.mjs';

const PROFILES = ['safe', 'seed'];
const BASE_MS = 10; // the service's normal work per answer: 50x = 500 ms, 100x = 1 s

function parseArgs(argv) {
  const opts = { runs: 3, 'noise-cycles': 150, 'sticky-cycles': 30, seed: 1, 'slow-p': 0.05, json: false, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, '');
    if (flag === 'json') opts.json = true;
    else if (flag === 'keep') opts.keep = path.resolve(argv[++i] ?? '');
    else if (flag === 'slow-p' && Number(argv[i + 1]) >= 0 && Number(argv[i + 1]) <= 1) opts[flag] = Number(argv[++i]);
    else if (flag in opts && Number.isInteger(Number(argv[i + 1])) && Number(argv[i + 1]) >= 1) opts[flag] = Number(argv[++i]);
    else throw new Error(`bad flag ${argv[i]} ${argv[i + 1] ?? ''}; usage: node bench/harm/run.mjs [--runs N] [--noise-cycles N] [--sticky-cycles N] [--seed N] [--slow-p P] [--json] [--keep DIR]`);
  }
  return opts;
}

// One run: services and daemons up, warm-up, noise, faults; then the daemons stop and their logs are analysed.
async function oneRun(run, opts) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-bench-harm-'));
  owned.dirs.add(dir);
  const load = loadSampler();
  const procfs = fakeProcfs(dir);
  const sides = [];
  for (const profile of PROFILES) {
    const service = await startService(BASE_MS);
    const guard = startGuard(path.join(dir, profile), profile, service.ports, procfs.root);
    owned.children.add(guard.child);
    sides.push({ profile, service, guard });
  }
  const phases = [];
  const t0 = Date.now();
  await waitCycles(sides, 15); // min_samples is 10: a baseline first
  phases.push({ name: 'warm-up', kind: 'quiet', startMs: t0, endMs: Date.now() });
  const seed = opts.seed + run - 1;
  phases.push(...(await runNoise(sides, procfs, { cycles: opts['noise-cycles'], seed, baseMs: BASE_MS, slowP: opts['slow-p'] })));
  phases.push(...(await runFaults(sides, { stickyCycles: opts['sticky-cycles'] })));
  const stats = await Promise.all(sides.map((s) => control(s.service.ports.control, '/stats', 'GET')));
  await Promise.all(sides.map((s) => stopGuard(s.guard)));
  const result = { run, seed, machine: load.stop(), phases };
  sides.forEach((s, i) => {
    const starts = cycleStarts(fs.readFileSync(path.join(s.guard.dir, 'scheduler.log'), 'utf8'));
    result[s.profile] = { ...analyseGuard(readLog(s.guard.logFile), starts, phases), service: stats[i] };
  });
  if (opts.keep) fs.cpSync(dir, path.join(opts.keep, `run-${run}`), { recursive: true });
  await cleanup();
  return result;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const results = [];
  for (let run = 1; run <= opts.runs; run++) {
    process.stderr.write(`bench:harm run ${run} of ${opts.runs} (about ${Math.round((opts['noise-cycles'] * 2 + opts['sticky-cycles'] * 6 + 240) / 60)} min)\n`);
    results.push(await oneRun(run, opts));
    if (opts.keep) fs.writeFileSync(path.join(opts.keep, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  }
  process.stdout.write(opts.json ? `${JSON.stringify(results, null, 1)}\n` : `${markdownTable(results, opts)}\n`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`bench:harm: ${signal}, stopping the children and deleting the temporary folders\n`);
    cleanup().finally(() => process.exit(130));
  });
}

try {
  await main();
} catch (err) {
  if (!stopping) process.stderr.write(`bench:harm: ${err.stack ?? err}\n`); // else: the children were stopped on purpose
  process.exitCode = 1;
} finally {
  await cleanup();
}
