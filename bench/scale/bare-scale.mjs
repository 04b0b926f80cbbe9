#!/usr/bin/env node
// The reference of the scale benchmark: a bare Node process doing, for N targets, what the guard's cycles do
// and nothing else, so the guard's CPU per check reads against Node's own floor on the same machine. Every
// target on its own interval (start to start, phase spread over the first interval): one GET of its URL
// timed with performance.now() (with `keepalive`, through one shared keep-alive agent; with `fresh`, a new
// connection), /proc/stat, /proc/meminfo and statfs read at most once per 250 ms for all targets (as the
// daemon shares them), a rolling mean/stdev of the last 30 latencies, and one check-record-sized JSON line
// appended to the target's own log (open, write, close: the daemon reopens its log per append too).
// Usage: node bench/scale/bare-scale.mjs PORT LOG_DIR N INTERVAL_MS [keepalive|fresh]
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const [portArg, dir, nArg, intervalArg, mode = 'fresh'] = process.argv.slice(2);
const n = Number(nArg);
const intervalMs = Number(intervalArg);
const agent = mode === 'keepalive' ? new http.Agent({ keepAlive: true, maxSockets: 256 }) : false;
fs.mkdirSync(dir, { recursive: true });
const r1 = (x) => Math.round(x * 10) / 10;
const r3 = (x) => Math.round(x * 1000) / 1000;

let host = null;
let hostAt = -Infinity;
function hostFigures() {
  const now = performance.now();
  if (now - hostAt < 250) return host;
  hostAt = now;
  const stat = fs.readFileSync('/proc/stat', 'latin1');
  const f = stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const meminfo = fs.readFileSync('/proc/meminfo', 'latin1');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1]);
  const s = fs.statfsSync(dir);
  host = {
    ticks: { busy: total - f[3] - f[4], total },
    mem: r1((100 * (kb('MemTotal') - kb('MemAvailable'))) / kb('MemTotal')),
    disk: r1((100 * (s.blocks - s.bfree)) / Math.max(1, s.blocks - s.bfree + s.bavail)),
  };
  return host;
}

function get(url) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { agent, headers: { 'user-agent': 'bare-scale', accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode, ms: performance.now() - t0 }));
    });
    req.setTimeout(2000, () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ ok: false, status: null, ms: performance.now() - t0, error: err.message }));
  });
}

function target(i) {
  const name = `t${String(i).padStart(5, '0')}`;
  const url = `http://127.0.0.1:${portArg}/ok/${name}`;
  const log = path.join(dir, `bare.${name}.ndjson`);
  const window = [];
  let previous = null;
  const cycle = async () => {
    const probe = await get(url);
    const h = hostFigures();
    const cpu = previous ? r1((100 * (h.ticks.busy - previous.busy)) / Math.max(1, h.ticks.total - previous.total)) : null;
    previous = h.ticks;
    const mean = window.length ? window.reduce((a, b) => a + b, 0) / window.length : null;
    const stdev = window.length > 1 ? Math.sqrt(window.reduce((a, b) => a + (b - mean) ** 2, 0) / (window.length - 1)) : null;
    if (probe.ok) window.push(probe.ms), window.length > 30 && window.shift();
    const record = {
      ts: new Date().toISOString(),
      target: name,
      lat: { latency_ms: r3(probe.ms), ok: probe.ok, http_status: probe.status, ...(probe.error ? { error: probe.error } : {}) },
      res: { cpu, mem: h.mem, disk: h.disk, cpu_ticks: h.ticks, cpu_span_ms: intervalMs },
      score: mean !== null && stdev ? r3((probe.ms - mean) / stdev) : null,
      mean: mean === null ? null : r3(mean),
      stdev: stdev === null ? null : r3(stdev),
    };
    const fd = fs.openSync(log, 'a');
    fs.writeSync(fd, `${JSON.stringify(record)}\n`);
    fs.closeSync(fd);
  };
  // FNV-1a phase over the first interval, like the daemon's.
  let h = 0x811c9dc5;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 0x01000193) >>> 0;
  let next = performance.now() + (h % intervalMs);
  const loop = async () => {
    await cycle();
    next += intervalMs;
    while (next < performance.now()) next += intervalMs;
    setTimeout(loop, next - performance.now());
  };
  setTimeout(loop, next - performance.now());
}

for (let i = 0; i < n; i++) target(i);
process.on('SIGTERM', () => process.exit(0));
