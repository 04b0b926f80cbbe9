#!/usr/bin/env node
// `npm run bench:latency`: the latency a one-shot `check` logs next to curl's time_total on the same
// loopback endpoint (http, and https with a certificate made by openssl here), paired round by round, and
// the daemon's against curl's while it runs. Also a cold node:http first request, the way a check measured
// before the warm-up; with --before CLI, that build's check too (e.g. a dist/ built from an older commit).
// Usage: node bench/latency.mjs [--runs N] [--cycles N] [--before PATH/TO/cli/main.js] [--json]
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'dist/cli/main.js');
const SERVER_SRC = `
const http = require('node:http');
const https = require('node:https');
const fs = require('node:fs');
const answer = (req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"Healthy"}'); };
const plain = http.createServer(answer);
const tls = process.argv[1] ? https.createServer({ key: fs.readFileSync(process.argv[1]), cert: fs.readFileSync(process.argv[2]) }, answer) : null;
plain.listen(0, '127.0.0.1', () => {
  if (!tls) return console.log(plain.address().port + ' 0');
  tls.listen(0, '127.0.0.1', () => console.log(plain.address().port + ' ' + tls.address().port));
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
`;
// The first request of a fresh process, timed around it: what a check logged before the warm-up.
const COLD_SRC = `
const http = require('node:http');
const t0 = performance.now();
http.get(process.argv[1], { agent: false }, (res) => { res.resume(); res.on('end', () => console.log(performance.now() - t0)); });
`;

function parseArgs(argv) {
  const opts = { runs: 15, cycles: 15, json: false, before: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') opts.json = true;
    else if (flag === '--before') opts.before = path.resolve(argv[++i] ?? '');
    else if (flag === '--runs' || flag === '--cycles') opts[flag.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown flag ${flag}; usage: node bench/latency.mjs [--runs N] [--cycles N] [--before CLI] [--json]`);
  }
  for (const k of ['runs', 'cycles']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k} ${opts[k]} is not a whole number >= 1`);
  return opts;
}

function makeCert(dir) {
  if (spawnSync('openssl', ['version']).status !== 0) return null;
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { key, cert };
}

function startServers(cert) {
  const child = spawn(process.execPath, ['-e', SERVER_SRC, ...(cert ? [cert.key, cert.cert] : [])], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ports = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(\d+) (\d+)\n/.exec(out);
      if (m) resolve({ http: Number(m[1]), https: Number(m[2]) || null });
    });
    child.once('exit', (code) => reject(new Error(`servers exited early (code ${code})`)));
  });
  return { child, ports };
}

function writeConfig(dir, name, url, extra = {}) {
  const c = {
    log_file: path.join(dir, `${name}.ndjson`),
    scheduler_log: path.join(dir, `${name}-scheduler.log`),
    health: { url, timeout: '5s', ...extra },
    actions: { unhealthy: 'heal', latency: 'log', cpu: 'log', mem: 'log', disk: 'log' },
    heal: { command: [] },
  };
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(c));
  return file;
}

const PHASES = ['dns_ms', 'connect_ms', 'tls_ms', 'first_byte_ms', 'latency_ms'];

// One check process: its logged lat fields, and its wall time from spawn to exit (in `wall`).
function runCheck(configFile, cli = MAIN, wall = []) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'check', '-c', configFile, '--json'], { encoding: 'utf8', timeout: 30_000 });
  wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
  const rec = JSON.parse(r.stdout.split('\n')[0] || '{}');
  if (rec?.lat?.ok !== true) throw new Error(`check failed (exit ${r.status}): ${r.stdout}${r.stderr}`);
  return Object.fromEntries(PHASES.filter((k) => rec.lat[k] !== undefined).map((k) => [k, rec.lat[k]]));
}

function runCurl(url, cacert) {
  const fmt = '%{time_namelookup} %{time_connect} %{time_appconnect} %{time_starttransfer} %{time_total}';
  const out = execFileSync('curl', ['-s', '-o', '/dev/null', ...(cacert ? ['--cacert', cacert] : []), '-w', fmt, url], { encoding: 'utf8' });
  const [dns, connect, tls, first, total] = out.split(' ').map((s) => Number(s) * 1000);
  return { dns_ms: dns, connect_ms: connect, ...(cacert ? { tls_ms: tls } : {}), first_byte_ms: first, latency_ms: total };
}

function runCold(url) {
  return { latency_ms: Number(execFileSync(process.execPath, ['-e', COLD_SRC, url], { encoding: 'utf8' })) };
}

// The daemon at a 1 s interval for `cycles` check records; curl is run half-way between its cycles.
async function runDaemon(dir, url, cycles) {
  const configFile = writeConfig(dir, 'daemon', url);
  const fileText = fs.readFileSync(configFile, 'utf8');
  fs.writeFileSync(configFile, JSON.stringify({ ...JSON.parse(fileText), interval: '1s', resources: { cpu_sample: '100ms' } }));
  const child = spawn(process.execPath, [MAIN, 'run', '-c', configFile, '--quiet'], { stdio: 'ignore' });
  const curls = [];
  const log = path.join(dir, 'daemon.ndjson');
  const records = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((r) => r.lat) : []);
  try {
    while (records().length < cycles + 1) {
      await new Promise((r) => setTimeout(r, 500));
      curls.push(runCurl(url));
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    child.kill('SIGTERM');
  }
  // The first cycle is the daemon's start-up, like a check: kept out so the row is the daemon warm.
  return { daemon: records().slice(1, cycles + 1).map((r) => Object.fromEntries(PHASES.filter((k) => r.lat[k] !== undefined).map((k) => [k, r.lat[k]]))), curl: curls };
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = (s.length - 1) / 2;
  return (s[Math.floor(m)] + s[Math.ceil(m)]) / 2;
};
const r2 = (v) => (v === null ? null : Math.round(v * 100) / 100);
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.round((s.length - 1) * q)];
};

function summary(samples) {
  const out = {};
  for (const k of PHASES) {
    const xs = samples.map((s) => s[k]).filter((v) => v !== undefined);
    if (xs.length) out[k] = r2(median(xs));
  }
  const totals = samples.map((s) => s.latency_ms);
  return { ...out, p10: r2(quantile(totals, 0.1)), p90: r2(quantile(totals, 0.9)), n: samples.length };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (or use \`npm run bench:latency\`)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anomaly-guard-latency-'));
  const cert = makeCert(dir);
  const servers = startServers(cert);
  try {
    const ports = await servers.ports;
    const httpUrl = `http://127.0.0.1:${ports.http}/health`;
    const httpsUrl = ports.https ? `https://127.0.0.1:${ports.https}/health` : null;
    const configs = { http: writeConfig(dir, 'check-http', httpUrl), https: httpsUrl ? writeConfig(dir, 'check-https', httpsUrl, { ca_file: cert.cert }) : null };
    const rows = { 'check http': [], 'curl http': [], 'cold node:http first request': [], 'check http, --before build': [], 'check https': [], 'curl https': [], 'check https, --before build': [] };
    const pairs = { http: [], https: [], beforeHttp: [], beforeHttps: [] };
    const walls = { now: [], before: [] };
    for (let round = -1; round < opts.runs; round++) {
      const c = runCheck(configs.http, MAIN, round >= 0 ? walls.now : []);
      const u = runCurl(httpUrl);
      const cold = runCold(httpUrl);
      const b = opts.before ? runCheck(configs.http, opts.before, round >= 0 ? walls.before : []) : null;
      if (round >= 0) {
        rows['check http'].push(c), rows['curl http'].push(u), rows['cold node:http first request'].push(cold), pairs.http.push(c.latency_ms / u.latency_ms);
        if (b) rows['check http, --before build'].push(b), pairs.beforeHttp.push(b.latency_ms / u.latency_ms);
      }
      if (!httpsUrl) continue;
      const cs = runCheck(configs.https);
      const us = runCurl(httpsUrl, cert.cert);
      const bs = opts.before ? runCheck(configs.https, opts.before) : null;
      if (round >= 0) {
        rows['check https'].push(cs), rows['curl https'].push(us), pairs.https.push(cs.latency_ms / us.latency_ms);
        if (bs) rows['check https, --before build'].push(bs), pairs.beforeHttps.push(bs.latency_ms / us.latency_ms);
      }
    }
    const d = await runDaemon(dir, httpUrl, opts.cycles);
    rows['run (daemon, warm) http'] = d.daemon;
    rows['curl http, during the daemon run'] = d.curl;
    const table = Object.fromEntries(Object.entries(rows).filter(([, s]) => s.length).map(([name, s]) => [name, summary(s)]));
    const ratios = {
      'check / curl, http (median of per-round ratios)': r2(median(pairs.http)),
      'check / curl, https (median of per-round ratios)': httpsUrl ? r2(median(pairs.https)) : null,
      '--before check / curl, http (median of per-round ratios)': opts.before ? r2(median(pairs.beforeHttp)) : null,
      '--before check / curl, https (median of per-round ratios)': opts.before && httpsUrl ? r2(median(pairs.beforeHttps)) : null,
      'run / curl, http (ratio of medians)': r2(table['run (daemon, warm) http'].latency_ms / table['curl http, during the daemon run'].latency_ms),
    };
    const wall = opts.before ? { now: r2(median(walls.now)), before: r2(median(walls.before)), 'paired difference (now - before)': r2(median(walls.now.map((w, i) => w - walls.before[i]))) } : { now: r2(median(walls.now)) };
    const info = { node: process.version, nproc: os.availableParallelism(), loadavg: os.loadavg().map((l) => r2(l)), runs: opts.runs, cycles: opts.cycles };
    if (opts.json) return void process.stdout.write(`${JSON.stringify({ info, table, ratios, wall, rows, walls }, null, 2)}\n`);
    const lines = [
      `latency bench: ${opts.runs} rounds (after 1 warm-up round), rows interleaved per round; daemon ${opts.cycles} cycles at 1 s; node ${info.node}, ${info.nproc} CPUs, loadavg ${info.loadavg.join(' ')}`,
      'medians in ms (cumulative from the start of the request, like curl -w time_*)',
      '',
      '| row | dns | connect | tls | first byte | total | p10 | p90 |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...Object.entries(table).map(([name, s]) => `| ${name} | ${s.dns_ms ?? ''} | ${s.connect_ms ?? ''} | ${s.tls_ms ?? ''} | ${s.first_byte_ms ?? ''} | ${s.latency_ms} | ${s.p10} | ${s.p90} |`),
      '',
      ...Object.entries(ratios).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v}`),
      `wall time of the http check process, spawn to exit (medians, ms, cpu_sample 1s): ${Object.entries(wall).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    servers.child.stdin.end();
    servers.child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
