#!/usr/bin/env node
// `npm run bench:report`: wall time and peak RSS of `anomaly-guard report --json` on a generated
// 1,000,000-line log (plain and gzip-rotated) and on a 200,000-line one, next to jq computing the same
// trigger counts. Medians of N interleaved runs (after one warm-up round).
// Usage: node bench/report-bench.mjs [--runs N] [--lines N] [--small N] [--json]
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { generateLog } from './gen-log.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'dist/cli/main.js');
const END = '2025-10-21T08:40:00Z'; // fixed, so every run of the bench reads the same bytes
const RUN_TIMEOUT_MS = 120_000;
const TIME = '/usr/bin/time';
const JQ_PIPELINE = `jq -c 'select(.event=="anomaly_trigger")' "$LOG" | jq -r '.reasons[] | sub(" \\\\(.*";"")' | sort | uniq -c`;
// Without /usr/bin/time, a preload reports the peak RSS of the node process itself on exit.
const RSS_PRELOAD = `process.on('exit', () => { try { require('node:fs').writeSync(2, '\\nMaximum resident set size (kbytes): ' + process.resourceUsage().maxRSS + '\\n'); } catch {} });`;

function parseArgs(argv) {
  const opts = { runs: 5, lines: 1_000_000, small: 200_000, json: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') opts.json = true;
    else if (['--runs', '--lines', '--small'].includes(flag)) opts[flag.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown flag ${flag}; usage: node bench/report-bench.mjs [--runs N] [--lines N] [--small N] [--json]`);
  }
  for (const k of ['runs', 'lines', 'small']) if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new Error(`--${k} ${opts[k]} is not a whole number >= 1`);
  return opts;
}

const has = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

// Runs argv (through /usr/bin/time -v when there is one); resolves with wall ms, peak RSS (KB) and output.
function measure(argv, env, useTime) {
  const full = useTime ? [TIME, '-v', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(full[0], full.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (out.stdout += d));
    child.stderr.on('data', (d) => (out.stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(out.stderr);
      const own = out.stderr.split('\tCommand being timed:')[0].trim(); // without /usr/bin/time's block
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}: ${own.slice(0, 800)}`));
      resolve({ ms, rssKb: rss ? Number(rss[1]) : null, stdout: out.stdout });
    });
  });
}

function reportRow(id, name, dir, logFile, useTime) {
  const main = path.join(dir, 'dist/cli/main.js');
  const config = path.join(dir, `${id}.json`);
  fs.writeFileSync(config, JSON.stringify({ log_file: logFile }));
  const node = useTime ? [process.execPath] : [process.execPath, '-r', path.join(dir, 'rss-preload.cjs')];
  return { id, name, argv: [...node, main, 'report', '--json', '-c', config], check: (stdout) => JSON.parse(stdout).triggers };
}

function jqRow(logFile) {
  const parse = (stdout) => Object.fromEntries(stdout.trim().split('\n').filter(Boolean).map((l) => l.trim().split(/\s+/)).map(([n, k]) => [k, Number(n)]));
  return { id: 'jq', name: 'jq pipeline: trigger counts only', argv: ['sh', '-c', JQ_PIPELINE], env: { LOG: logFile }, check: parse };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function runRows(rows, runs, useTime) {
  for (const row of rows) Object.assign(row, { ms: [], rss: [] });
  for (let round = -1; round < runs; round++) {
    for (const row of rows) {
      const r = await measure(row.argv, row.env, useTime);
      row.result = row.check(r.stdout);
      if (round < 0) continue;
      row.ms.push(r.ms);
      if (r.rssKb !== null) row.rss.push(r.rssKb);
    }
  }
  for (const row of rows) row.stats = { wallMs: Math.round(median(row.ms)), minMs: Math.round(Math.min(...row.ms)), maxMs: Math.round(Math.max(...row.ms)), rssMb: row.rss.length ? Math.round(median(row.rss) / 102.4) / 10 : null };
}

async function prepare(dir, opts) {
  const big = path.join(dir, 'big', 'guard.ndjson');
  const gz = path.join(dir, 'gz', 'guard.ndjson');
  const small = path.join(dir, 'small', 'guard.ndjson');
  // A private copy of the bundle (it has no dependencies outside): a rebuild of dist/ meanwhile cannot break a run.
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  for (const f of [big, gz, small]) fs.mkdirSync(path.dirname(f));
  const a = generateLog({ lines: opts.lines, out: big, seed: 1, end: END });
  const b = generateLog({ lines: opts.small, out: small, seed: 1, end: END });
  // The same lines rotated and compressed: guard.ndjson.1.gz plus an empty live log.
  await pipeline(fs.createReadStream(big), zlib.createGzip(), fs.createWriteStream(`${gz}.1.gz`));
  fs.writeFileSync(gz, '');
  fs.writeFileSync(path.join(dir, 'rss-preload.cjs'), RSS_PRELOAD);
  return { big, gz, small, bigBytes: a.bytes, smallBytes: b.bytes, gzBytes: fs.statSync(`${gz}.1.gz`).size };
}

function machine() {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return { nproc: os.availableParallelism(), cpu, node: process.version, platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100) };
}

function printTable(info, opts, files, rows, jqVersion, useTime) {
  const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  const lines = [
    `anomaly-guard report bench: median of ${opts.runs} runs per row (after 1 warm-up round), rows interleaved`,
    `machine: ${info.nproc} CPUs, ${info.cpu}, node ${info.node}, ${info.platform}, loadavg ${info.loadavg.join(' ')}`,
    `logs: ${opts.lines.toLocaleString('en')} lines = ${mb(files.bigBytes)} (gzip ${mb(files.gzBytes)}); ${opts.small.toLocaleString('en')} lines = ${mb(files.smallBytes)}`,
    `peak RSS: ${useTime ? '/usr/bin/time -v (largest process of the pipeline for jq)' : 'process.resourceUsage().maxRSS at exit (/usr/bin/time missing)'}`,
    '',
    '| row | command | wall ms (median) | min | max | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.id} | ${r.name} | ${r.stats.wallMs} | ${r.stats.minMs} | ${r.stats.maxMs} | ${r.stats.rssMb ?? '-'} |`),
    '',
  ];
  if (by.jq) lines.push(`jq (${jqVersion}) / report on the same ${opts.lines.toLocaleString('en')} lines: ${(by.jq.stats.wallMs / by.big.stats.wallMs).toFixed(2)}x (report is ${by.big.stats.wallMs < by.jq.stats.wallMs ? 'faster' : 'SLOWER'})`);
  else lines.push('jq row SKIPPED: jq is not installed (apt-get install -y jq)');
  lines.push(`RSS ${opts.lines.toLocaleString('en')} lines / ${opts.small.toLocaleString('en')} lines: ${(by.big.stats.rssMb / by.small.stats.rssMb).toFixed(2)} (flat memory: ~1.0)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

// Both tools must agree on the trigger counts, or the timing compares different work.
function verifyAgreement(rows) {
  const want = JSON.stringify(rows.find((r) => r.id === 'big').result);
  for (const r of rows.filter((x) => x.id === 'gz' || x.id === 'jq')) {
    const got = JSON.stringify(Object.fromEntries(Object.entries(r.result).sort((a, b) => b[1] - a[1])));
    if (got !== want) throw new Error(`row ${r.id} counts ${got}, report on the plain log counts ${want}`);
  }
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (or use \`npm run bench:report\`)`);
  const useTime = fs.existsSync(TIME);
  const jq = has('jq');
  const jqVersion = jq ? execFileSync('jq', ['--version'], { encoding: 'utf8' }).trim() : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anomaly-guard-report-bench-'));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  const onSignal = (sig) => {
    cleanup();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  try {
    const files = await prepare(dir, opts);
    const big = opts.lines.toLocaleString('en');
    const rows = [
      reportRow('big', `report --json, ${big} lines`, dir, files.big, useTime),
      ...(jq ? [jqRow(files.big)] : []),
      reportRow('gz', `report --json, ${big} lines in guard.ndjson.1.gz`, dir, files.gz, useTime),
      reportRow('small', `report --json, ${opts.small.toLocaleString('en')} lines`, dir, files.small, useTime),
    ];
    await runRows(rows, opts.runs, useTime);
    verifyAgreement(rows);
    const info = machine();
    if (opts.json) process.stdout.write(`${JSON.stringify({ machine: info, ...opts, jq: jqVersion, files, rows: rows.map(({ id, name, ms, rss, stats }) => ({ id, name, samplesMs: ms, rssKb: rss, ...stats })) }, null, 2)}\n`);
    else printTable(info, opts, files, rows, jqVersion, useTime);
  } finally {
    cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`report-bench: ${err.message}\n`);
  process.exitCode = 1;
});
