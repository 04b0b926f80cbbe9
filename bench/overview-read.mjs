#!/usr/bin/env node
// `node bench/overview-read.mjs` (after `npm run build`): what GET /api/targets costs with many targets,
// in the read worker the daemon uses (dist/http/read-worker.js), against a naive overview that reads every
// target's whole log. Per run, side by side: cold (a new worker: every row from its log's tail, at most
// 64 KiB each, no time budget), warm (the same worker again, logs unchanged: one stat per log), memory (every row from
// the daemon's memory: no log read), and the whole-log reference (read and parse every line of every log).
// Usage: node bench/overview-read.mjs [--targets 1000] [--lines 1000] [--runs 5]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const TARGETS = arg('targets', 1000);
const LINES = arg('lines', 1000);
const RUNS = arg('runs', 5);
const WORKER = path.join(ROOT, 'dist/http/read-worker.js');
if (!fs.existsSync(WORKER)) throw new Error('dist/http/read-worker.js is missing: run `npm run build` first');

const iso = (ms) => new Date(ms).toISOString().replace('Z', '000Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-overview-bench-'));
const now = Date.now();
const targets = [];
for (let t = 0; t < TARGETS; t++) {
  const name = `svc-${String(t).padStart(5, '0')}`;
  const logFile = path.join(dir, `guard.${name}.ndjson`);
  const lines = [];
  for (let i = 0; i < LINES; i++) {
    const ts = iso(now - (LINES - i) * 10_000);
    lines.push(JSON.stringify({ ts, lat: { latency_ms: 10 + ((i * 7 + t) % 13), ok: true, http_status: 200 }, res: { cpu: 12.5, mem: 40.1, disk: 55 }, score: 0.3, mean: 15.2, stdev: 2.1, target: name }));
    if (i % 400 === 17) lines.push(JSON.stringify({ event: 'anomaly_trigger', ts, reasons: ['latency_anomaly_3sigma (score=4.10)'], latency: 90, score: 4.1, cpu: 12, mem: 40, disk: 55, target: name }));
  }
  fs.writeFileSync(logFile, `${lines.join('\n')}\n`);
  targets.push({ target: name, logFile, maxPerHour: 6, staleMs: 3_600_000 });
}
const bytes = targets.reduce((n, t) => n + fs.statSync(t.logFile).size, 0);

function call(worker, req) {
  return new Promise((resolve, reject) => {
    const id = Math.floor(Math.random() * 1e9);
    const t0 = performance.now();
    const onMessage = (m) => {
      if (m.id !== id || m.started) return;
      worker.off('message', onMessage);
      if (m.error) reject(new Error(m.error));
      else resolve({ ms: performance.now() - t0, size: m.bytes.byteLength, body: JSON.parse(new TextDecoder().decode(m.bytes)) });
    };
    worker.on('message', onMessage);
    worker.postMessage({ id, req });
  });
}

// The whole read, without the 2 s budget the daemon gives one request (the bench measures all of it).
const fromLog = { kind: 'targets', logFile: path.join(dir, 'guard.ndjson'), nowMs: now, updatedAt: iso(now), memory: [], fromLog: targets, budgetMs: 600_000 };
const memoryRow = (t, i) => ({ target: t.target, state: i % 97 === 0 ? 'CRITICAL' : 'OK', checked_at: iso(now), latency_ms: 12.3, latencies: Array.from({ length: 30 }, (_, k) => 10 + ((k + i) % 9)), failed: [], last_incident: { ts: iso(now - 5000), reasons: ['latency_anomaly_3sigma (score=4.10)'] }, heals_last_hour: 0, max_per_hour: 6, source: 'daemon' });
const fromMemory = { ...fromLog, fromLog: [], memory: targets.map((t, i) => ({ row: memoryRow(t, i), incidentLog: null })) };

function wholeLogs() {
  const t0 = performance.now();
  let n = 0;
  for (const t of targets) for (const line of fs.readFileSync(t.logFile, 'utf8').split('\n')) if (line) (JSON.parse(line), n++);
  return { ms: performance.now() - t0, n };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = { cold: [], warm: [], memory: [], whole: [] };
let size = 0;
for (let r = 0; r < RUNS; r++) {
  const worker = new Worker(WORKER);
  const cold = await call(worker, fromLog);
  size = cold.size;
  if (cold.body.count !== TARGETS) throw new Error(`the overview has ${cold.body.count} rows, not ${TARGETS}`);
  rows.cold.push(cold.ms);
  rows.warm.push((await call(worker, fromLog)).ms);
  rows.memory.push((await call(worker, fromMemory)).ms);
  await worker.terminate();
  rows.whole.push(wholeLogs().ms);
}
fs.rmSync(dir, { recursive: true, force: true });
const ref = median(rows.whole);
console.log(`${TARGETS} targets × ${LINES} checks (${(bytes / 1048576).toFixed(0)} MiB of logs), ${RUNS} runs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; body ${(size / 1024).toFixed(0)} KiB`);
for (const [name, xs] of Object.entries(rows)) console.log(`${name.padEnd(7)} median ${median(xs).toFixed(1).padStart(8)} ms  (${xs.map((x) => x.toFixed(0)).join(', ')})  ${(median(xs) / ref).toFixed(3)} × whole logs`);
