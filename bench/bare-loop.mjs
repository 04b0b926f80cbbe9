#!/usr/bin/env node
// The reference for bench/daemon-cost.mjs: a bare Node loop doing a daemon cycle's work and nothing else.
// Every interval (start to start): one GET to the health URL timed with performance.now() (with
// `keepalive`, over one kept-alive socket; with `fresh`, on a new connection like the guard's probe), a
// read of /proc/stat and /proc/meminfo, statfs of the log's folder, and one appended JSON line of about a
// check record's size (busy share since the previous reading, rolling mean/stdev of the last 50 latencies).
// Usage: node bench/bare-loop.mjs URL LOG_FILE [INTERVAL_MS] [keepalive|fresh]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [url, logFile, intervalArg = '1000', mode = 'keepalive'] = process.argv.slice(2);
if (!url || !logFile || !['keepalive', 'fresh'].includes(mode)) {
  console.error('usage: node bench/bare-loop.mjs URL LOG_FILE [INTERVAL_MS] [keepalive|fresh]');
  process.exit(2);
}
const intervalMs = Number(intervalArg);
const agent = mode === 'keepalive' ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;
const folder = path.dirname(logFile);
const window = [];
let previous = null;

function get() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, headers: { 'user-agent': 'bare-loop', accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode, ms: performance.now() - t0, body: Buffer.concat(chunks) }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ ok: false, status: null, ms: performance.now() - t0, error: err.message }));
  });
}

function cpuTicks(stat) {
  const f = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total, btime: Number(/^btime (\d+)/m.exec(stat)?.[1]) };
}

function memPercent(meminfo) {
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1]);
  return Math.round((1000 * (kb('MemTotal') - kb('MemAvailable'))) / kb('MemTotal')) / 10;
}

const r1 = (x) => Math.round(x * 10) / 10;
const r3 = (x) => Math.round(x * 1000) / 1000;

async function cycle() {
  const [probe, stat, meminfo, fsStat] = await Promise.all([get(), fs.promises.readFile('/proc/stat', 'utf8'), fs.promises.readFile('/proc/meminfo', 'utf8'), fs.promises.statfs(folder)]);
  const ticks = cpuTicks(stat);
  const cpu = previous ? r1((100 * (ticks.busy - previous.busy)) / Math.max(1, ticks.total - previous.total)) : null;
  previous = ticks;
  const mean = window.length ? window.reduce((a, b) => a + b, 0) / window.length : null;
  const stdev = window.length > 1 ? Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / (window.length - 1)) : null;
  const score = mean !== null && stdev ? r3((probe.ms - mean) / stdev) : null;
  if (probe.ok) window.push(probe.ms), window.length > 50 && window.shift();
  const disk = r1((100 * (fsStat.blocks - fsStat.bfree)) / Math.max(1, fsStat.blocks - fsStat.bfree + fsStat.bavail));
  const record = {
    ts: new Date().toISOString().replace('Z', '000Z'),
    lat: { latency_ms: r3(probe.ms), ok: probe.ok, http_status: probe.status, ...(probe.error ? { error: probe.error } : {}) },
    res: { cpu, mem: memPercent(meminfo), disk, cpu_ticks: ticks, cpu_span_ms: intervalMs },
    score,
    mean: mean === null ? null : r3(mean),
    stdev: stdev === null ? null : r3(stdev),
  };
  await fs.promises.appendFile(logFile, `${JSON.stringify(record)}\n`);
}

// Start to start, like the daemon's scheduler; a cycle that overruns its interval skips a tick.
let next = performance.now();
async function loop() {
  await cycle();
  next += intervalMs;
  while (next < performance.now()) next += intervalMs;
  setTimeout(loop, next - performance.now());
}
process.on('SIGTERM', () => process.exit(0));
loop();
