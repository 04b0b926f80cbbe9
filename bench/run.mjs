#!/usr/bin/env node
// `npm run bench`: wall time of whole `anomaly-guard check` processes against an idle health server in a
// child process, on an empty and on a 1,000,000-line log, next to the floor (`node -e 0`), CLI start-up
// and the seed's one-shot written in Python (bench/seed_oneshot.py, run by /usr/bin/python3).
// Usage: node bench/run.mjs [--runs N] [--lines N] [--baseline DIST] [--json]
// --baseline DIST adds rows running another build's CLI (DIST/cli/main.js, e.g. an older commit's dist/),
// interleaved with the rest, and prints this build's medians as ratios of that one's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog } from './gen-log.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'dist/cli/main.js');
const PYTHON = '/usr/bin/python3';
const SEED = path.join(ROOT, 'bench/seed_oneshot.py');
const RUN_TIMEOUT_MS = 30_000;
const SERVER_SRC = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"status":"Healthy"}');
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0)); // the bench went away: stop too
process.stdin.resume();
`;

function parseArgs(argv) {
  const opts = { runs: 15, lines: 1_000_000, json: false, baseline: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') opts.json = true;
    else if (flag === '--baseline') opts.baseline = path.resolve(argv[++i] ?? '', 'cli/main.js');
    else if (flag === '--runs' || flag === '--lines') opts[flag.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown flag ${flag}; usage: node bench/run.mjs [--runs N] [--lines N] [--baseline DIST] [--json]`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error(`--runs ${opts.runs} is not a whole number >= 1`);
  if (!Number.isInteger(opts.lines) || opts.lines < 0) throw new Error(`--lines ${opts.lines} is not a whole number >= 0`);
  if (opts.baseline !== null && !fs.existsSync(opts.baseline)) throw new Error(`--baseline: ${opts.baseline} does not exist`);
  return opts;
}

// Starts the health server child and resolves with its port (within 10 s).
function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER_SRC], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('health server did not report its port within 10 s')), 10_000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(\d+)\n/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`health server exited early (code ${code})`));
    });
  });
  return { child, port };
}

// A config whose findings cannot change the outcome: only an unhealthy probe would (exit 2).
function writeConfig(dir, name, { port, logFile, cpuSample, json }) {
  const c = {
    log_file: logFile,
    scheduler_log: path.join(dir, 'scheduler.log'),
    cycle_timeout: '30s',
    health: { url: `http://127.0.0.1:${port}/health`, timeout: '5s' },
    // cpu_over: sample: every check samples the CPU for cpu_sample, as the seed's one-shot does (profile
    // safe's default, interval, takes the CPU over the span since the previous check's reading, and a
    // check with one in its log waits for no sample at all).
    resources: { cpu_sample: cpuSample, cpu_over: 'sample' },
    actions: { unhealthy: 'heal', latency: 'log', cpu: 'log', mem: 'log', disk: 'log' },
    heal: { command: [] },
  };
  const text = json ? JSON.stringify(c, null, 2) : toYaml(c);
  const file = path.join(dir, `${name}.${json ? 'json' : 'yaml'}`);
  fs.writeFileSync(file, text);
  return file;
}

// Enough YAML for the config above (flow-style JSON values are valid YAML).
function toYaml(obj, indent = '') {
  return Object.entries(obj)
    .map(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v) ? `${indent}${k}:\n${toYaml(v, `${indent}  `)}` : `${indent}${k}: ${JSON.stringify(v)}\n`))
    .join('');
}

// Spawns one process (node unless `command` says otherwise) and measures its wall time from spawn to
// exit; `live` holds it while it runs.
function timeProcess(args, cwd, live, command = process.execPath) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let t1 = null;
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (out.stdout += d));
    child.stderr.on('data', (d) => (out.stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('exit', () => (t1 = process.hrtime.bigint()));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ ms: Number((t1 ?? process.hrtime.bigint()) - t0) / 1e6, code, signal, ...out });
    });
  });
}

// A check run counts only when it exited 0/1 and its check record says the probe was ok.
function verifyCheck(row, r) {
  const fail = (why) => new Error(`row ${row.id} (${row.name}): ${why}\nstdout: ${r.stdout.trim()}\nstderr: ${r.stderr.trim()}`);
  if (r.code !== 0 && r.code !== 1) throw fail(`exit code ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}, expected 0 or 1`);
  let record;
  try {
    record = JSON.parse(r.stdout.split('\n')[0]);
  } catch {
    throw fail('the first stdout line is not a JSON record');
  }
  if (record?.lat?.ok !== true) throw fail('the check record does not have lat.ok true');
}

function scenarios(dir, port, bigLog, lines, baseline) {
  const log = (name, big) => {
    const file = path.join(dir, `${name}.ndjson`);
    if (big) fs.copyFileSync(bigLog, file);
    return file;
  };
  const check = (name, cpuSample, big, json = true) => [MAIN, 'check', '-c', writeConfig(dir, name, { port, logFile: log(name, big), cpuSample, json }), '--json'];
  const big = lines === 1_000_000 ? '1M' : lines.toLocaleString('en');
  const rows = [
    { id: 'a', name: 'node -e 0 (floor)', args: ['-e', '0'] },
    { id: 'b', name: 'anomaly-guard --version (CLI start-up)', args: [MAIN, '--version'] },
    { id: 'c', name: 'check --json, cpu_sample 1s, empty log', args: check('c', '1s', false), cpuSampleMs: 1000 },
    { id: 'd', name: `check --json, cpu_sample 1s, ${big}-line log`, args: check('d', '1s', true), cpuSampleMs: 1000 },
    { id: 'e1', name: 'check --json, cpu_sample 100ms, empty log', args: check('e1', '100ms', false), cpuSampleMs: 100 },
    { id: 'e2', name: `check --json, cpu_sample 100ms, ${big}-line log`, args: check('e2', '100ms', true), cpuSampleMs: 100 },
    // c-e use JSON, so they time the check, not the YAML parser (loaded only for a YAML config).
    // A YAML load that fails is reported (and the bench exits 1) rather than stopping the other rows.
    { id: 'f', name: 'as e1 with a YAML config (c-e use JSON)', args: check('f', '100ms', false, false), cpuSampleMs: 100, optional: true },
    // The reference for e1 and f: the seed's one-shot (requests, psutil cpu_percent(interval=0.1)) on its own log.
    { id: 'p', name: 'seed one-shot in Python, cpu sample 0.1 s, empty log', command: PYTHON, args: [SEED, `http://127.0.0.1:${port}/health`, log('p', false)], cpuSampleMs: 100, optional: true },
  ];
  if (baseline === null) return rows;
  // b, e1 and f again through the baseline build (e1 and f on their own logs and configs).
  const onBaseline = (of, args, extra = {}) => ({ id: `${of}0`, name: `as ${of}, baseline build`, of, args: [baseline, ...args.slice(1)], ...extra });
  return [
    ...rows,
    onBaseline('b', rows[1].args),
    onBaseline('e1', check('e10', '100ms', false), { cpuSampleMs: 100 }),
    onBaseline('f', check('f0', '100ms', false, false), { cpuSampleMs: 100, optional: true }),
  ];
}

// One warm-up round (not counted), then `runs` rounds; each round runs every row once, so drift hits all rows alike.
async function measureAll(rows, runs, cwd, live) {
  for (const row of rows) row.samples = [];
  for (let round = -1; round < runs; round++) {
    for (const row of rows.filter((x) => !x.failed)) {
      let r;
      try {
        r = await timeProcess(row.args, cwd, live, row.command);
        if (row.cpuSampleMs !== undefined) verifyCheck(row, r);
        else if (r.code !== 0) throw new Error(`row ${row.id} (${row.name}) exited ${r.code}: ${r.stderr.trim()}`);
      } catch (err) {
        if (!row.optional) throw err;
        row.failed = err.message;
        continue;
      }
      if (round >= 0) row.samples.push(r.ms);
    }
  }
}

function quantile(sorted, q) {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function summarise(row) {
  const s = [...row.samples].sort((x, y) => x - y);
  const round = (v) => Math.round(v * 10) / 10;
  return { median: round(quantile(s, 0.5)), p10: round(quantile(s, 0.1)), p90: round(quantile(s, 0.9)), min: round(s[0]), max: round(s.at(-1)) };
}

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    cpu = /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: keep os.cpus()
  }
  return { nproc: os.availableParallelism(), node: process.version, cpu, platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100) };
}

// The issue's target: check wall <= cpu_sample + 1.5 x (node -e 0), on medians.
function verdicts(rows) {
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  const floor = by.a.stats.median;
  const target = (row) => {
    const limit = row.cpuSampleMs + 1.5 * floor;
    const diff = row.stats.median - limit;
    return { row: row.id, median: row.stats.median, limit: Math.round(limit * 10) / 10, pass: diff <= 0, by: Math.round(Math.abs(diff) * 10) / 10 };
  };
  const ratio = Math.round((by.d.stats.median / by.c.stats.median) * 1000) / 1000;
  const overhead = Object.fromEntries(rows.filter((r) => r.cpuSampleMs !== undefined && r.stats).map((r) => [r.id, Math.round((r.stats.median - r.cpuSampleMs) * 10) / 10]));
  const yamlCost = by.f.stats ? Math.round((by.f.stats.median - by.e1.stats.median) * 10) / 10 : null;
  const startupOverFloor = Math.round((by.b.stats.median - floor) * 10) / 10;
  const versionRatio = Math.round((by.b.stats.median / floor) * 1000) / 1000;
  // Issue 16: --version within 1.3 x the floor; a check (cpu_sample 100ms) no slower than the seed's one-shot.
  const vsSeed = (row) => (row.stats && by.p.stats ? { row: row.id, median: row.stats.median, seed: by.p.stats.median, ratio: Math.round((row.stats.median / by.p.stats.median) * 1000) / 1000, pass: row.stats.median <= by.p.stats.median } : null);
  const startup = { version: { ratio: versionRatio, limit: 1.3, pass: versionRatio <= 1.3 }, vsSeed: [vsSeed(by.e1), vsSeed(by.f)].filter(Boolean), seedFailure: by.p.failed ?? null };
  const baseline = rows.filter((r) => r.of && r.stats && by[r.of].stats).map((r) => ({ row: r.of, median: by[r.of].stats.median, baseline: r.stats.median, ratio: Math.round((by[r.of].stats.median / r.stats.median) * 1000) / 1000 }));
  return { targets: [target(by.c), target(by.d)], ratioDC: ratio, overheadBeyondCpuSample: overhead, startupOverFloor, yamlCost, yamlFailure: by.f.failed ?? null, startup, baseline };
}

const stderrOf = (message) => /\nstderr: (.*)/s.exec(message)?.[1].trim().split('\n')[0] ?? message;

function printReport(info, opts, rows, v) {
  const lines = [
    `anomaly-guard bench: ${opts.runs} runs per row (after 1 warm-up round), rows interleaved; times in ms, wall clock of the whole process`,
    `machine: ${info.nproc} CPUs, ${info.cpu}, node ${info.node}, ${info.platform}, loadavg ${info.loadavg.join(' ')}`,
    `logs: d and e2 start from ${opts.lines} generated lines (bench/gen-log.mjs), c, e1, f and p from none; each grows by one line per run`,
    '',
    '| row | what | median | p10 | p90 | min | max |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.id} | ${r.name} | ${r.stats ? [r.stats.median, r.stats.p10, r.stats.p90, r.stats.min, r.stats.max].join(' | ') : 'FAILED | | | |'} |`),
    '',
  ];
  for (const t of v.targets) {
    lines.push(`target (${t.row}): check ${t.median} ms <= cpu_sample + 1.5 x floor = ${t.limit} ms: ${t.pass ? `PASS (${t.by} ms to spare)` : `MISS by ${t.by} ms`}`);
  }
  lines.push(`d/c (${opts.lines}-line log vs empty log, cpu_sample 1s): ${v.ratioDC}`);
  lines.push(`overhead beyond cpu_sample (median - cpu_sample): ${Object.entries(v.overheadBeyondCpuSample).map(([k, ms]) => `${k} ${ms} ms`).join(', ')}`);
  lines.push(`CLI start-up over the floor (b - a): ${v.startupOverFloor} ms`);
  const { version, vsSeed, seedFailure } = v.startup;
  lines.push(`target: --version ${version.ratio} x node -e 0 (b / a) <= ${version.limit}: ${version.pass ? 'PASS' : 'MISS'}`);
  for (const t of vsSeed) lines.push(`target (${t.row}): check ${t.median} ms <= the seed's Python one-shot ${t.seed} ms (${t.row} / p = ${t.ratio}): ${t.pass ? 'PASS' : 'MISS'}`);
  if (seedFailure !== null) lines.push(`row p FAILED (${PYTHON} with python3-requests and python3-psutil is needed): ${stderrOf(seedFailure)}`);
  for (const b of v.baseline) lines.push(`this build / baseline (${b.row} / ${b.row}0): ${b.median} / ${b.baseline} ms = ${b.ratio}`);
  if (v.yamlCost === null) lines.push(`row f FAILED, a YAML config does not load in this build: ${stderrOf(v.yamlFailure)}`);
  else {
    lines.push(`YAML config over JSON config (f - e1): ${v.yamlCost} ms`);
    for (const t of v.targets) lines.push(`  so with a YAML config (${t.row} + ${v.yamlCost}): ${Math.round((t.median + v.yamlCost) * 10) / 10} ms against ${t.limit} ms`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (or use \`npm run bench\`)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anomaly-guard-bench-'));
  const server = startServer();
  const live = new Set([server.child]);
  // Stops the server and a check in flight (which would recreate its log folder), then removes the folder.
  const cleanup = async () => {
    await Promise.all([...live].map((child) => stop(child)));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (sig) => void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const port = await server.port;
    const info = machine();
    const bigLog = path.join(dir, 'generated.ndjson');
    generateLog({ lines: opts.lines, out: bigLog, seed: 1, end: Date.now() });
    const rows = scenarios(dir, port, bigLog, opts.lines, opts.baseline);
    fs.rmSync(bigLog);
    await measureAll(rows, opts.runs, dir, live);
    for (const row of rows) row.stats = row.failed ? null : summarise(row);
    const v = verdicts(rows);
    if (opts.json) process.stdout.write(`${JSON.stringify({ machine: info, runs: opts.runs, lines: opts.lines, rows: rows.map(({ id, name, samples, stats, failed }) => ({ id, name, samplesMs: samples, ...stats, ...(failed ? { failed } : {}) })), verdict: v }, null, 2)}\n`);
    else printReport(info, opts, rows, v);
    if (rows.some((r) => r.failed)) process.exitCode = 1;
  } finally {
    await cleanup();
  }
}

// Kills a child and waits (at most 5 s) until it has exited.
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  return Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exitCode = 1;
});
