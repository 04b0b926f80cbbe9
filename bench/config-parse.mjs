#!/usr/bin/env node
// `anomaly-guard validate` on configs with many keys, the cost a SIGHUP reload pays too: YAML and JSON,
// N unknown top-level keys (N problems to report) and N valid header keys, for several N. With --ref DIR
// (a build of another commit, e.g. the one before a fix), both builds run interleaved, row by row, and
// the table shows each median and their ratio.
// Usage: node bench/config-parse.mjs [--runs N] [--sizes 5000,10000,20000] [--ref DIR] [--build DIR] [--json]
// (--build DIR: time the build in DIR instead of this tree's dist/, e.g. a copy, so a rebuild meanwhile does not matter)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv) {
  const opts = { runs: 5, sizes: [5000, 10000, 20000], ref: null, build: ROOT, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') opts.json = true;
    else if (flag === '--runs') opts.runs = Number(argv[++i]);
    else if (flag === '--sizes') opts.sizes = argv[++i].split(',').map(Number);
    else if (flag === '--ref') opts.ref = path.resolve(argv[++i]);
    else if (flag === '--build') opts.build = path.resolve(argv[++i]);
    else throw new Error(`unknown flag ${flag}; usage: node bench/config-parse.mjs [--runs N] [--sizes 5000,10000] [--ref DIR] [--json]`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error(`--runs ${opts.runs} is not a whole number >= 1`);
  return opts;
}

// The four shapes of a big config, as text.
function configs(n) {
  const keys = Array.from({ length: n }, (_, i) => i);
  return {
    'yaml, unknown keys': ['yaml', keys.map((i) => `key_${i}: ${i}\n`).join('')],
    'json, unknown keys': ['json', JSON.stringify(Object.fromEntries(keys.map((i) => [`key_${i}`, i])))],
    'yaml, headers': ['yaml', `health:\n  headers:\n${keys.map((i) => `    X-Header-${i}: value-${i}\n`).join('')}`],
    'json, headers': ['json', JSON.stringify({ health: { headers: Object.fromEntries(keys.map((i) => [`X-Header-${i}`, `value-${i}`])) } })],
  };
}

// Wall time of one `validate` in ms; the exit status must be 0 (valid) or 2 (invalid), never a crash.
function timeValidate(main, file) {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [main, 'validate', '-c', file], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 2) throw new Error(`${main} validate -c ${file} exited ${r.status ?? r.signal}: ${String(r.stderr).slice(0, 400)}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const builds = [['this', path.join(opts.build, 'dist/cli/main.js')], ...(opts.ref ? [['ref', path.join(opts.ref, 'dist/cli/main.js')]] : [])];
  for (const [, main] of builds) if (!fs.existsSync(main)) throw new Error(`${main} is missing: build it first (npm run build)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ag-bench-cfg-'));
  const rows = [];
  try {
    for (const n of opts.sizes) {
      for (const [shape, [ext, text]] of Object.entries(configs(n))) {
        const file = path.join(dir, `c-${n}-${shape.replace(/\W+/g, '-')}.${ext}`);
        fs.writeFileSync(file, text);
        const times = Object.fromEntries(builds.map(([name]) => [name, []]));
        for (let run = 0; run < opts.runs; run++) for (const [name, main] of builds) times[name].push(timeValidate(main, file));
        const row = { n, shape, kib: Math.round(text.length / 1024), ...Object.fromEntries(builds.map(([name]) => [name, Math.round(median(times[name]))])) };
        if (opts.ref) row.ratio = Math.round((row.ref / row.this) * 10) / 10;
        rows.push(row);
        if (!opts.json) console.error(JSON.stringify(row));
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (opts.json) return console.log(JSON.stringify({ node: process.version, cpus: os.cpus().length, load: os.loadavg(), rows }, null, 2));
  const head = `| keys | shape | KiB | this build (ms) |${opts.ref ? ' reference (ms) | reference / this |' : ''}`;
  console.log([head, head.replace(/[^|]+/g, '---'), ...rows.map((r) => `| ${r.n} | ${r.shape} | ${r.kib} | ${r.this} |${opts.ref ? ` ${r.ref} | ${r.ratio} |` : ''}`)].join('\n'));
  console.log(`\nmedian of ${opts.runs} runs each, interleaved; node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

main();
