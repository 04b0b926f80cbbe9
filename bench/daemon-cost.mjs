#!/usr/bin/env node
// `npm run bench:daemon`: the daemon's CPU per cycle and RSS next to a bare Node loop doing the same work
// (bench/bare-loop.mjs), side by side in one run. One target, interval 1 s, a loopback HTTP server (its own
// process). Each run starts the daemon (`run`), the bare loop with a kept-alive socket (the reference of the
// goal) and the bare loop with a new connection per GET (the guard's own probe does that), lets them warm
// up, then reads utime+stime of each (/proc/<pid>/stat, all threads) over the next N cycles. Runs alternate
// the order they start in. Goal (issue 12/16): daemon <= 1.5x the bare keep-alive loop.
// With --before, another build's daemon (e.g. a dist/ built from an older commit) runs beside them as a fourth;
// with --keep-alive, a daemon with health.keep_alive: true (one pooled connection) beside them too.
// The daemon's resources.cpu_sample is 500ms (--cpu-sample): with the default 1s, a 1 s interval never has a previous
// reading a full cpu_sample old, so every cycle samples for 1 s and every other tick is skipped (bench/README.md).
// Usage: node bench/daemon-cost.mjs [--runs N] [--cycles N] [--warmup N] [--cpu-sample DURATION] [--cli PATH/cli/main.js]
//        [--before PATH/cli/main.js] [--keep-alive] [--cpu-prof DIR] [--json]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BARE = path.join(ROOT, 'bench/bare-loop.mjs');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
const SERVER_SRC = `
const http = require('node:http');
const s = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"Healthy"}'); });
s.listen(0, '127.0.0.1', () => console.log(s.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;

function parseArgs(argv) {
  const opts = { runs: 5, cycles: 60, warmup: 10, json: false, cli: path.join(ROOT, 'dist/cli/main.js'), before: null, keepAlive: false, cpuProf: null, cpuSample: '500ms' };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') opts.json = true;
    else if (flag === '--keep-alive') opts.keepAlive = true;
    else if (flag === '--cli') opts.cli = path.resolve(argv[++i] ?? '');
    else if (flag === '--cpu-sample') opts.cpuSample = argv[++i] ?? '';
    else if (flag === '--before') opts.before = path.resolve(argv[++i] ?? '');
    else if (flag === '--cpu-prof') opts.cpuProf = path.resolve(argv[++i] ?? '');
    else if (['--runs', '--cycles', '--warmup'].includes(flag)) opts[flag.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown flag ${flag}; usage: node bench/daemon-cost.mjs [--runs N] [--cycles N] [--warmup N] [--cpu-sample DURATION] [--cli PATH] [--before PATH] [--keep-alive] [--cpu-prof DIR] [--json]`);
  }
  for (const k of ['runs', 'cycles', 'warmup']) if (!Number.isInteger(opts[k]) || opts[k] < (k === 'warmup' ? 0 : 1)) throw new Error(`--${k} ${opts[k]} is not a whole number`);
  if (opts.before && !fs.existsSync(opts.before)) throw new Error(`--before ${opts.before} is missing`);
  if (!fs.existsSync(opts.cli)) throw new Error(`${opts.cli} is missing: run \`npm run build\` first (or use \`npm run bench:daemon\`)`);
  return opts;
}

function startServer() {
  const child = spawn(process.execPath, ['-e', SERVER_SRC], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(\d+)\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the server exited early (code ${code})`)));
  });
  return { child, port };
}

// The daemon's config: what latency.mjs uses (heal none, every finding only logged), interval 1 s.
function daemonConfig(dir, url, name, cpuSample, keepAlive = false) {
  const c = {
    log_file: path.join(dir, `${name}.ndjson`),
    scheduler_log: path.join(dir, `${name}-scheduler.log`),
    interval: '1s',
    resources: { cpu_sample: cpuSample },
    health: { url, timeout: '5s', ...(keepAlive ? { keep_alive: true } : {}) },
    actions: { unhealthy: 'heal', latency: 'log', cpu: 'log', mem: 'log', disk: 'log' },
    heal: { command: [] },
  };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(c));
  return file;
}

// utime + stime of every thread of the process, in ms; and its resident set.
function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK;
}
function rssMb(pid) {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
}

// The check records in a log so far (lines with a `lat`); parsed only at the end (polling must stay cheap).
function checkLines(file) {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.includes('"lat":'));
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Waits for a new check line, then 300 ms more (the cycle has ended; the next starts in ~700 ms), so that
// a reading falls between cycles. Returns the number of check lines then.
async function betweenCycles(file, atLeast, proc) {
  let n = checkLines(file).length;
  const start = Math.max(n + 1, atLeast);
  for (let waited = 0; n < start; waited += 50) {
    if (proc.exitCode !== null) throw new Error(`${proc.name} exited (code ${proc.exitCode}) before its cycle ${start}`);
    if (waited > 120_000 + start * 3000) throw new Error(`${proc.name}: no check line ${start} in ${file}`);
    await sleep(50);
    n = checkLines(file).length;
  }
  await sleep(300);
  return n;
}

// One process's figures over `cycles` cycles after `warmup` ones.
async function measure(proc, file, opts) {
  const n0 = await betweenCycles(file, opts.warmup + 1, proc);
  const cpu0 = cpuMs(proc.pid);
  const n1 = await betweenCycles(file, n0 + opts.cycles, proc);
  const cpu1 = cpuMs(proc.pid);
  const lat = checkLines(file).slice(n0, n1).map((l) => JSON.parse(l).lat.latency_ms);
  return { cycles: n1 - n0, cpuPerCycleMs: (cpu1 - cpu0) / (n1 - n0), rssMb: rssMb(proc.pid), latencyMs: median(lat) };
}

function spawnOne(name, args, dir) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, `${name}.stderr`), 'w')] });
  child.name = name;
  return child;
}

async function oneRun(opts, url, order, runIndex) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anomaly-guard-daemon-cost-'));
  const prof = opts.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProf, '--cpu-prof-name', `daemon-run${runIndex}.cpuprofile`] : [];
  const rows = {
    daemon: { args: [...prof, opts.cli, 'run', '-c', daemonConfig(dir, url, 'guard', opts.cpuSample), '--quiet'], log: path.join(dir, 'guard.ndjson') },
    'daemon, --before build': { args: [opts.before, 'run', '-c', daemonConfig(dir, url, 'before', opts.cpuSample), '--quiet'], log: path.join(dir, 'before.ndjson') },
    'daemon, keep_alive': { args: [opts.cli, 'run', '-c', daemonConfig(dir, url, 'keepalive', opts.cpuSample, true), '--quiet'], log: path.join(dir, 'keepalive.ndjson') },
    'bare keep-alive': { args: [BARE, url, path.join(dir, 'bare-keepalive.ndjson'), '1000', 'keepalive'], log: path.join(dir, 'bare-keepalive.ndjson') },
    'bare fresh': { args: [BARE, url, path.join(dir, 'bare-fresh.ndjson'), '1000', 'fresh'], log: path.join(dir, 'bare-fresh.ndjson') },
  };
  const procs = {};
  try {
    for (const name of order) {
      procs[name] = spawnOne(name, rows[name].args, dir);
      await sleep(150); // spread the phases a little
    }
    const results = await Promise.all(order.map((name) => measure(procs[name], rows[name].log, opts)));
    return Object.fromEntries(order.map((name, i) => [name, results[i]]));
  } finally {
    await Promise.all(Object.values(procs).map((p) => stop(p)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
}
const r2 = (v) => (v === null ? null : Math.round(v * 100) / 100);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.cpuProf) fs.mkdirSync(opts.cpuProf, { recursive: true });
  const server = startServer();
  const names = ['daemon', 'bare keep-alive', 'bare fresh', ...(opts.before ? ['daemon, --before build'] : []), ...(opts.keepAlive ? ['daemon, keep_alive'] : [])];
  const runs = [];
  const load = [os.loadavg()[0]];
  try {
    const url = `http://127.0.0.1:${await server.port}/health`;
    for (let i = 0; i < opts.runs; i++) {
      const order = names.map((_, k) => names[(k + i) % names.length]);
      const run = await oneRun(opts, url, order, i);
      runs.push(run);
      load.push(os.loadavg()[0]);
      if (!opts.json) process.stderr.write(`run ${i + 1}/${opts.runs}: ${names.map((n) => `${n} ${r2(run[n].cpuPerCycleMs)} ms`).join(', ')}, ratio ${r2(run.daemon.cpuPerCycleMs / run['bare keep-alive'].cpuPerCycleMs)}\n`);
    }
  } finally {
    server.child.stdin.end();
  }
  const table = Object.fromEntries(names.map((n) => [n, {
    cpuPerCycleMs: r2(median(runs.map((r) => r[n].cpuPerCycleMs))),
    min: r2(Math.min(...runs.map((r) => r[n].cpuPerCycleMs))),
    max: r2(Math.max(...runs.map((r) => r[n].cpuPerCycleMs))),
    rssMb: r2(median(runs.map((r) => r[n].rssMb))),
    latencyMs: r2(median(runs.map((r) => r[n].latencyMs))),
  }]));
  const ratios = {
    'daemon / bare keep-alive (median of per-run ratios)': r2(median(runs.map((r) => r.daemon.cpuPerCycleMs / r['bare keep-alive'].cpuPerCycleMs))),
    'daemon / bare fresh (median of per-run ratios)': r2(median(runs.map((r) => r.daemon.cpuPerCycleMs / r['bare fresh'].cpuPerCycleMs))),
    ...(opts.keepAlive ? { 'daemon keep_alive / daemon (median of per-run ratios)': r2(median(runs.map((r) => r['daemon, keep_alive'].cpuPerCycleMs / r.daemon.cpuPerCycleMs))), 'daemon keep_alive / bare keep-alive (median of per-run ratios)': r2(median(runs.map((r) => r['daemon, keep_alive'].cpuPerCycleMs / r['bare keep-alive'].cpuPerCycleMs))) } : {}),
    ...(opts.before ? { '--before daemon / bare keep-alive (median of per-run ratios)': r2(median(runs.map((r) => r['daemon, --before build'].cpuPerCycleMs / r['bare keep-alive'].cpuPerCycleMs))) } : {}),
  };
  const info = { node: process.version, nproc: os.availableParallelism(), loadavg: `${r2(Math.min(...load))}-${r2(Math.max(...load))}`, runs: opts.runs, cycles: opts.cycles, warmup: opts.warmup, cpuSample: opts.cpuSample, cli: path.relative(ROOT, opts.cli), before: opts.before };
  if (opts.json) return void process.stdout.write(`${JSON.stringify({ info, table, ratios, runs }, null, 2)}\n`);
  const lines = [
    `daemon cost: ${opts.runs} runs of ${opts.cycles} cycles at 1 s (after ${opts.warmup} warm-up cycles), daemon cpu_sample ${opts.cpuSample}, ${names.length} processes side by side; node ${info.node}, ${info.nproc} CPUs, load ${info.loadavg}; ${info.cli}${opts.before ? `, --before ${opts.before}` : ''}`,
    '',
    '| process | CPU per cycle, ms (median) | min | max | RSS, MB | logged latency, ms |',
    '|---|---:|---:|---:|---:|---:|',
    ...names.map((n) => `| ${n} | **${table[n].cpuPerCycleMs}** | ${table[n].min} | ${table[n].max} | ${table[n].rssMb} | ${table[n].latencyMs} |`),
    '',
    ...Object.entries(ratios).map(([k, v]) => `${k}: **${v}**`),
    `per run (daemon / bare keep-alive): ${runs.map((r) => r2(r.daemon.cpuPerCycleMs / r['bare keep-alive'].cpuPerCycleMs)).join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`daemon-cost: ${err.message}\n`);
  process.exit(1);
});
