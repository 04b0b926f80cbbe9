#!/usr/bin/env node
// Two builds of the CLI side by side: `validate` and a one-shot `check` (cpu_sample 100ms, cpu_over sample, the idle /proc
// fixture, a loopback health server), interleaved run by run so machine noise falls on both alike.
// Usage: node bench/paired-check.mjs <reference dist/cli/main.js> <candidate dist/cli/main.js> [--runs N]
// Prints the medians and the candidate / reference ratio per row.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [refMain, candMain, ...rest] = process.argv.slice(2);
const runs = rest[0] === '--runs' ? Number(rest[1]) : 21;
if (!refMain || !candMain || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: node bench/paired-check.mjs <reference main.js> <candidate main.js> [--runs N]');
  process.exit(2);
}
const PROC_IDLE = fileURLToPath(new URL('../test/fixtures/proc/idle', import.meta.url));
const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"Healthy"}'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-paired-'));
const builds = { reference: refMain, candidate: candMain };
const configs = Object.fromEntries(Object.keys(builds).map((name) => {
  const file = path.join(tmp, `${name}.json`);
  const config = { log_file: `${name}.ndjson`, health: { url: `http://127.0.0.1:${server.address().port}/health` }, resources: { cpu_sample: '100ms', cpu_over: 'sample', procfs: PROC_IDLE } }; // every check samples for 100 ms
  fs.writeFileSync(file, JSON.stringify(config));
  return [name, file];
}));

// Wall time of one process, start to exit.
function time(args) {
  return new Promise((resolve) => {
    const started = performance.now();
    spawn(process.execPath, args, { stdio: 'ignore' }).on('exit', (code) => resolve({ ms: performance.now() - started, code }));
  });
}

const samples = { reference: { validate: [], check: [] }, candidate: { validate: [], check: [] } };
try {
  for (let i = 0; i <= runs; i++) {
    for (const name of i % 2 ? ['reference', 'candidate'] : ['candidate', 'reference']) {
      const validate = await time([builds[name], 'validate', '-c', configs[name]]);
      const check = await time([builds[name], 'check', '-c', configs[name]]);
      if (check.code !== 0) throw new Error(`${name}: check exited ${check.code}`);
      if (i === 0) continue; // a warm-up round
      samples[name].validate.push(validate.ms);
      samples[name].check.push(check.ms);
    }
  }
} finally {
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${runs} runs per row, interleaved; load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs`);
for (const row of ['validate', 'check']) {
  const [r, c] = [median(samples.reference[row]), median(samples.candidate[row])];
  console.log(`${row.padEnd(9)} reference ${r.toFixed(1)} ms   candidate ${c.toFixed(1)} ms   ratio ${(c / r).toFixed(3)}`);
}
