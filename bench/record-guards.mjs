#!/usr/bin/env node
// What checking every field of a record costs a reader (src/log/record-guards.ts): per line of a
// generated log, JSON.parse alone, then with the old check test (an object with `lat`, no `event`), with
// isCheckRecord and with classifyRecord. Rounds interleaved, one warm-up round, medians; the ratio is
// against JSON.parse alone, measured in the same rounds.
// Usage: node bench/record-guards.mjs [--lines N] [--rounds N] [--json]
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog } from './gen-log.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const opts = { lines: 200_000, rounds: 9, json: false };
for (let i = 2; i < process.argv.length; i++) {
  const flag = process.argv[i];
  if (flag === '--json') opts.json = true;
  else if (flag === '--lines' || flag === '--rounds') opts[flag.slice(2)] = Number(process.argv[++i]);
  else throw new Error(`unknown flag ${flag}; usage: node bench/record-guards.mjs [--lines N] [--rounds N] [--json]`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-guard-bench-'));
try {
  const guards = path.join(dir, 'guards.mjs');
  await build({ entryPoints: [path.join(ROOT, 'src/log/record-guards.ts')], outfile: guards, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { isCheckRecord, classifyRecord } = await import(guards);
  const log = path.join(dir, 'log.ndjson');
  generateLog({ lines: opts.lines, out: log, end: '2025-10-21T08:40:00Z' });
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const oldCheck = (v) => typeof v === 'object' && v !== null && v.event === undefined && typeof v.lat === 'object' && v.lat !== null;
  const rows = {
    'JSON.parse': () => {},
    'JSON.parse + old check test': (r) => oldCheck(r),
    'JSON.parse + isCheckRecord': (r) => isCheckRecord(r),
    'JSON.parse + classifyRecord': (r) => classifyRecord(r),
  };
  const samples = Object.fromEntries(Object.keys(rows).map((k) => [k, []]));
  let sink = 0;
  for (let round = 0; round <= opts.rounds; round++) {
    for (const [name, fn] of Object.entries(rows)) {
      const t0 = process.hrtime.bigint();
      for (const line of lines) if (fn(JSON.parse(line))) sink++;
      const ns = Number(process.hrtime.bigint() - t0) / lines.length;
      if (round > 0) samples[name].push(ns); // round 0 warms up
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(samples['JSON.parse']);
  const result = Object.entries(samples).map(([name, xs]) => ({ name, ns_per_line: Math.round(median(xs)), ratio: Number((median(xs) / base).toFixed(2)) }));
  if (opts.json) console.log(JSON.stringify({ lines: lines.length, rounds: opts.rounds, result, sink }));
  else for (const r of result) console.log(`${r.name.padEnd(30)} ${String(r.ns_per_line).padStart(6)} ns/line  ×${r.ratio.toFixed(2)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
