#!/usr/bin/env node
// `npm run bench:http`: does reading the dashboard's API disturb the guard? A real daemon (`anomaly-guard
// run`, a child process, interval 1s, the seed's rules) guards a healthy loopback server (another child)
// on a generated log; after a warm-up that fills the latency window with real probes, quiet phases and
// phases with N clients (a third child) looping on /api/series?range=1w and /api/events alternate, paired
// in one run. Per phase: probe latency percentiles, latency triggers, heals, cycles, cycle timeouts, and
// what the clients got. Logs: 100k lines at 5 min (a year) and 1M lines at 0.5 s (1w covers all of it).
// With --control, a third phase sends the same clients to a static server answering bodies of the same
// sizes: what the clients' own CPU costs the probe on this machine, whatever serves them.
// Usage: node bench/http-readers.mjs [--cli dist/cli/main.js] [--clients 4] [--phase-s 20] [--pairs 3]
//        [--warmup-s 55] [--logs 100k,1m] [--control] [--json]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog } from './gen-log.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
// The dense log ends 2 h ago: the cycle's own history read (which runs while its probe is in flight)
// stops at its 1 h lookback either way, so both logs load the probe alike; /api/series?range=1w covers all.
const LOGS = { '100k': { lines: 100_000, cadenceMs: 300_000, endAgoMs: 60_000 }, '1m': { lines: 1_000_000, cadenceMs: 500, endAgoMs: 7_200_000 } };
const SERVER_SRC = `
const http = require('node:http');
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"Healthy"}'); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`;
// Answers /api/series… and /api/events… with fixed bodies of the sizes given (a stand-in that costs nothing).
const STATIC_SRC = `
const http = require('node:http');
const [series, events] = [Buffer.alloc(Number(process.argv[1]), 32), Buffer.alloc(Number(process.argv[2]), 32)];
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(req.url.startsWith('/api/series') ? series : events); });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`;
// N loops for DURATION ms over the given paths; prints {status: count, ms: [...]} as JSON at the end.
const CLIENTS_SRC = `
const [base, n, durationMs] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
const paths = ['/api/series?range=1w', '/api/events?limit=50'];
const counts = {}; const ms = [];
const until = Date.now() + durationMs;
async function loop(i) {
  while (Date.now() < until) {
    const t0 = performance.now();
    try { const r = await fetch(base + paths[i % 2], { signal: AbortSignal.timeout(30000) }); await r.arrayBuffer(); counts[r.status] = (counts[r.status] ?? 0) + 1; }
    catch (e) { counts.error = (counts.error ?? 0) + 1; await new Promise((r) => setTimeout(r, 100)); }
    ms.push(performance.now() - t0);
  }
}
Promise.all(Array.from({ length: n }, (_, i) => loop(i))).then(() => console.log(JSON.stringify({ counts, ms })));
`;

function parseArgs(argv) {
  const opts = { cli: path.join(ROOT, 'dist/cli/main.js'), clients: 4, phaseS: 20, pairs: 3, warmupS: 55, logs: ['100k', '1m'], control: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--json') opts.json = true;
    else if (flag === '--control') opts.control = true;
    else if (flag === '--cli') (opts.cli = path.resolve(value)), i++;
    else if (flag === '--logs') (opts.logs = value.split(',')), i++;
    else if (['--clients', '--phase-s', '--pairs', '--warmup-s'].includes(flag)) (opts[flag.slice(2).replace(/-s$/, 'S')] = Number(value)), i++;
    else throw new Error(`unknown flag ${flag}; usage: node bench/http-readers.mjs [--cli FILE] [--clients N] [--phase-s S] [--pairs N] [--warmup-s S] [--logs 100k,1m] [--json]`);
  }
  for (const name of opts.logs) if (!LOGS[name]) throw new Error(`--logs: ${name} is not one of ${Object.keys(LOGS).join(', ')}`);
  return opts;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A child whose first stdout line is a port number.
function startChild(args, opts = {}) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], ...opts });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return { child, out: () => out, err: () => err };
}

async function waitFor(what, probe, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// `profile: seed` where the build knows the key (it pins today's rules); an older build has only those.
function profileKey(cli, dir) {
  const file = path.join(dir, 'probe.json');
  fs.writeFileSync(file, JSON.stringify({ profile: 'seed' }));
  return spawnSync(process.execPath, [cli, 'validate', '-c', file]).status === 0 ? { profile: 'seed' } : {};
}

function writeConfig(dir, cli, { healthPort, httpPort, logFile }) {
  const config = {
    ...profileKey(cli, dir),
    interval: '1s',
    cycle_timeout: '5s',
    log_file: logFile,
    scheduler_log: path.join(dir, 'scheduler.log'),
    health: { url: `http://127.0.0.1:${healthPort}/health`, timeout: '2s' },
    resources: { cpu_sample: '100ms' },
    // Only the probe decides: CPU, memory and disk findings are logged, never healed.
    actions: { unhealthy: 'heal', latency: 'heal', cpu: 'log', mem: 'log', disk: 'log' },
    heal: { command: ['true'], verify_after: '0s', max_per_hour: 100000 },
    http: { listen: `127.0.0.1:${httpPort}` },
  };
  const file = path.join(dir, 'guard.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

function freePort() {
  const r = spawnSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"]);
  return Number(String(r.stdout).trim());
}

const pct = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]);

// What the log says about [fromMs, toMs): checks, latency percentiles, triggers, heals, timeouts.
function phaseFigures(records, fromMs, toMs) {
  const inPhase = records.filter((r) => {
    const t = Date.parse(r.ts);
    return t >= fromMs && t < toMs;
  });
  const checks = inPhase.filter((r) => r.lat !== undefined);
  const lat = checks.filter((r) => r.lat.ok).map((r) => r.lat.latency_ms).sort((a, b) => a - b);
  const triggers = inPhase.filter((r) => r.event === 'anomaly_trigger');
  return {
    cycles: checks.length,
    failed_probes: checks.filter((r) => !r.lat.ok).length,
    p50: pct(lat, 0.5),
    p90: pct(lat, 0.9),
    p99: pct(lat, 0.99),
    max: lat.at(-1) ?? null,
    latency_triggers: triggers.filter((r) => r.reasons.some((x) => x.startsWith('latency_anomaly'))).length,
    unhealthy_triggers: triggers.filter((r) => r.reasons.some((x) => x.startsWith('health_unhealthy'))).length,
    heals: inPhase.filter((r) => r.event === 'self_heal').length,
    cycle_timeouts: inPhase.filter((r) => r.event === 'cycle_timeout').length,
  };
}

function readRecords(file, fromByte) {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  const buf = Buffer.alloc(size - fromByte);
  fs.readSync(fd, buf, 0, buf.length, fromByte);
  fs.closeSync(fd);
  return buf.toString('utf8').split('\n').filter((l) => l.trim() !== '').flatMap((l) => {
    try {
      return [JSON.parse(l)];
    } catch {
      return [];
    }
  });
}

async function runClients(base, n, durationMs) {
  const c = startChild(['-e', CLIENTS_SRC, base, String(n), String(durationMs)]);
  const code = await new Promise((r) => c.child.once('exit', r));
  if (code !== 0) throw new Error(`clients exited ${code}: ${c.err()}`);
  const { counts, ms } = JSON.parse(c.out());
  ms.sort((a, b) => a - b);
  return { requests: counts, request_ms_p50: Math.round(pct(ms, 0.5)), request_ms_max: Math.round(ms.at(-1) ?? 0) };
}

// The static stand-in, with bodies as large as the daemon's answers right now.
async function startStatic(base) {
  const size = async (p) => (await (await fetch(base + p)).arrayBuffer()).byteLength;
  const [series, events] = [await size('/api/series?range=1w'), await size('/api/events?limit=50')];
  const c = startChild(['-e', STATIC_SRC, String(series), String(events)]);
  const port = await waitFor('the static server', () => /^(\d+)\n/.exec(c.out())?.[1]);
  return { base: `http://127.0.0.1:${port}`, stop: () => (c.child.stdin.end(), c.child.kill('SIGTERM')) };
}

async function benchLog(name, opts, dir, healthPort) {
  const spec = LOGS[name];
  const logFile = path.join(dir, `${name}.ndjson`);
  const gen = generateLog({ lines: spec.lines, out: logFile, cadenceMs: spec.cadenceMs, end: Date.now() - spec.endAgoMs });
  const startByte = fs.statSync(logFile).size;
  const httpPort = freePort();
  const config = writeConfig(dir, opts.cli, { healthPort, httpPort, logFile });
  const daemon = startChild([opts.cli, 'run', '-c', config, '--quiet']);
  const base = `http://127.0.0.1:${httpPort}`;
  try {
    await waitFor('the daemon to serve /healthz', async () => (await fetch(`${base}/healthz`).catch(() => null))?.ok);
    await sleep(opts.warmupS * 1000);
    const control = opts.control ? await startStatic(base) : null;
    const kinds = opts.control ? ['quiet', 'readers', 'control'] : ['quiet', 'readers'];
    const phases = [];
    try {
      for (let i = 0; i < opts.pairs * kinds.length; i++) {
        const kind = kinds[i % kinds.length];
        const fromMs = Date.now();
        const target = kind === 'readers' ? base : control?.base;
        const clients = kind === 'quiet' ? (await sleep(opts.phaseS * 1000), null) : await runClients(target, opts.clients, opts.phaseS * 1000);
        phases.push({ kind, readers: kind === 'readers', fromMs, toMs: Date.now(), clients });
      }
    } finally {
      control?.stop();
    }
    await sleep(1500); // the last cycle's records
    const records = readRecords(logFile, startByte);
    return { log: name, lines: gen.lines, mb: Math.round(gen.bytes / 1e6), phases: phases.map((p) => ({ kind: p.kind, readers: p.readers, ...phaseFigures(records, p.fromMs, p.toMs), clients: p.clients })) };
  } finally {
    daemon.child.kill('SIGTERM');
    await new Promise((r) => (daemon.child.exitCode !== null ? r() : daemon.child.once('exit', r)));
  }
}

function summary(result) {
  const rows = [];
  for (const r of result) {
    for (const kind of ['quiet', 'readers', 'control']) {
      const ps = r.phases.filter((p) => p.kind === kind);
      if (ps.length === 0) continue;
      const med = (k) => {
        const v = ps.map((p) => p[k]).filter((x) => x !== null).sort((a, b) => a - b);
        return v.length === 0 ? null : v[Math.floor(v.length / 2)];
      };
      const sum = (k) => ps.reduce((s, p) => s + p[k], 0);
      const got = kind !== 'quiet' ? ps.map((p) => Object.entries(p.clients.requests).map(([k, v]) => `${k}:${v}`).join(' ')).join(' | ') : '';
      rows.push(`| ${r.log} | ${ps.length} × ${kind} | ${sum('cycles')} | ${med('p50')} | ${med('p90')} | ${med('p99')} | ${Math.max(...ps.map((p) => p.max ?? 0))} | ${sum('latency_triggers')} | ${sum('unhealthy_triggers')} | ${sum('heals')} | ${sum('cycle_timeouts')} | ${got} |`);
    }
  }
  return ['| log | phases | cycles | p50 ms | p90 ms | p99 ms | max ms | latency triggers | unhealthy | heals | cycle timeouts | reader answers |', '|---|---|---|---|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-bench-http-'));
  const server = startChild(['-e', SERVER_SRC]);
  try {
    const healthPort = Number(await waitFor('the health server', () => /^(\d+)\n/.exec(server.out())?.[1]));
    const results = [];
    for (const name of opts.logs) {
      process.stderr.write(`bench:http: ${name} log, warm-up ${opts.warmupS} s, ${opts.pairs} × (quiet ${opts.phaseS} s, ${opts.clients} readers ${opts.phaseS} s)\n`);
      results.push(await benchLog(name, opts, dir, healthPort));
    }
    process.stdout.write(opts.json ? `${JSON.stringify({ cli: opts.cli, clients: opts.clients, results }, null, 2)}\n` : `${summary(results)}\n`);
  } finally {
    server.child.stdin.end();
    server.child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:http: ${err.message}\n`);
  process.exitCode = 1;
});
