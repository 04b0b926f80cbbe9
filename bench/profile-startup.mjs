#!/usr/bin/env node
// Where a CLI run's time goes: runs `node --cpu-prof dist/cli/main.js ARGS` N times and prints the mean
// sampled time per category (node's bootstrap, the ESM loader, compiling our bundle, compiling node's
// built-ins, GC, our code by phase) and the functions of ours with the most inclusive time.
// Usage: node bench/profile-startup.mjs [--runs N] [--top N] -- ARGS...   e.g. -- check -c guard.yaml --json
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function parseArgs(argv) {
  const split = argv.indexOf('--');
  const opts = { runs: 10, top: 15, args: split === -1 ? [] : argv.slice(split + 1) };
  const flags = split === -1 ? argv : argv.slice(0, split);
  for (let i = 0; i < flags.length; i += 2) {
    if (flags[i] !== '--runs' && flags[i] !== '--top') throw new Error(`unknown flag ${flags[i]}; usage: node bench/profile-startup.mjs [--runs N] [--top N] -- ARGS...`);
    opts[flags[i].slice(2)] = Number(flags[i + 1]);
  }
  if (opts.args.length === 0) throw new Error('give the CLI arguments after --, e.g. -- --version');
  return opts;
}

// The phase of our code a sample belongs to, by the functions on its stack (outermost first wins).
const PHASES = [
  ['parseYamlConfig', 'our code: parsing the YAML config'],
  ['validateConfig', 'our code: validating the config'],
  ['buildProgram', 'our code: commander, building the program'],
  ['runCycle', 'our code: the cycle (probe, log tail, score, decide, append)'],
];

function category(stack) {
  const top = stack[0];
  if (top.functionName === '(garbage collector)') return 'GC';
  if (top.functionName === '(program)') return 'V8, native';
  if (top.functionName === 'compileSourceTextModule') return 'compiling our bundle';
  if (top.functionName === 'compileForInternalLoader') return "compiling node's built-ins (net, http, child_process, ...)";
  if (stack.some((f) => f.url.includes('/dist/'))) {
    const names = new Set(stack.map((f) => f.functionName));
    return PHASES.find(([fn]) => names.has(fn))?.[1] ?? 'our code: the rest (module set-up, command, output)';
  }
  if (/modules\/esm/.test(top.url)) return 'ESM loader';
  if (/bootstrap|pre_execution|run_main|internal\/main/.test(top.url)) return "node's bootstrap";
  return 'node internals, other';
}

// Adds one profile's samples into `cats` (self time by category) and `ours` (inclusive time per function of ours).
function addProfile(file, cats, ours) {
  const p = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map(p.nodes.flatMap((n) => (n.children ?? []).map((c) => [c, n.id])));
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    const stack = [];
    for (let j = id; j !== undefined; j = parent.get(j)) stack.push(byId.get(j).callFrame);
    if (stack[0].functionName === '(idle)') return;
    const cat = category(stack);
    cats.set(cat, (cats.get(cat) ?? 0) + ms);
    const seen = new Set(stack.filter((f) => f.url.includes('/dist/')).map((f) => `${f.functionName || '(module)'} (${path.basename(f.url)})`));
    for (const fn of seen) ours.set(fn, (ours.get(fn) ?? 0) + ms);
  });
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anomaly-guard-profile-'));
  try {
    const cats = new Map();
    const ours = new Map();
    for (let run = 0; run < opts.runs; run++) {
      const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-interval', '250', '--cpu-prof-dir', dir, MAIN, ...opts.args], { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status === null || r.status > 3) throw new Error(`run ${run + 1} ended with ${r.status ?? r.signal}: ${r.stderr}`);
    }
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    for (const f of files) addProfile(path.join(dir, f), cats, ours);
    const total = [...cats.values()].reduce((a, b) => a + b, 0);
    const line = (ms, label) => `${(ms / files.length).toFixed(1).padStart(7)} ms ${((100 * ms) / total).toFixed(0).padStart(3)} %  ${label}`;
    const out = [`anomaly-guard ${opts.args.join(' ')}: mean sampled time of ${files.length} runs (node --cpu-prof, 250 µs), idle excluded`, ''];
    out.push(...[...cats].sort((a, b) => b[1] - a[1]).map(([label, ms]) => line(ms, label)), '', 'our functions, inclusive:');
    out.push(...[...ours].sort((a, b) => b[1] - a[1]).slice(0, opts.top).map(([label, ms]) => line(ms, label)));
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  process.stderr.write(`profile-startup: ${err.message}\n`);
  process.exitCode = 1;
}
