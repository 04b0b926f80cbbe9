#!/usr/bin/env node
// `npm run bench:report`: wall time, CPU time and peak RSS of `anomaly-guard report --json` on a generated
// 1,000,000-line log (plain and gzip-rotated; on the threads it picks and on one) and on a 100,000-line
// one, next to jq computing the same trigger counts (bench/trigger-reasons.jq). Medians of N interleaved
// runs (after one warm-up round). --rss adds peak RSS over logs of 100k, 1M and 10M lines (minutes).
// --baseline DIST adds a row running another build's report (DIST/cli/main.js, e.g. an older commit's dist/)
// with --jobs 1, interleaved with the rest, and prints this build's medians as ratios of that one's.
// Usage: node bench/report-bench.mjs [--runs N] [--lines N] [--small N] [--rss [N,N,...]] [--baseline DIST] [--json]
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
const RUN_TIMEOUT_MS = 600_000;
const TIME = '/usr/bin/time';
const JQ_PROGRAM = path.join(ROOT, 'bench/trigger-reasons.jq');
const RSS_SIZES = [100_000, 1_000_000, 10_000_000];

function parseArgs(argv) {
  const opts = { runs: 5, lines: 1_000_000, small: 100_000, rss: null, json: false, baseline: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--json') opts.json = true;
    else if (flag === '--rss') opts.rss = /^[\d,]+$/.test(argv[i + 1] ?? '') ? argv[++i].split(',').map(Number) : RSS_SIZES;
    else if (flag === '--baseline') opts.baseline = path.resolve(argv[++i] ?? '');
    else if (['--runs', '--lines', '--small'].includes(flag)) opts[flag.slice(2)] = Number(argv[++i]);
    else throw new Error(`unknown flag ${flag}; usage: node bench/report-bench.mjs [--runs N] [--lines N] [--small N] [--rss [N,N,...]] [--baseline DIST] [--json]`);
  }
  if (opts.baseline !== null && !fs.existsSync(path.join(opts.baseline, 'cli/main.js'))) throw new Error(`--baseline: ${path.join(opts.baseline, 'cli/main.js')} does not exist`);
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

const seconds = (text, label) => Number(new RegExp(`${label} \\(seconds\\): ([\\d.]+)`).exec(text)?.[1] ?? Number.NaN);

// Runs argv through /usr/bin/time -v; resolves with wall ms, CPU ms (user + system), peak RSS (KB) and output.
function measure(argv) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(TIME, ['-v', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (d) => (out.stdout += d));
    child.stderr.on('data', (d) => (out.stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(out.stderr);
      const cpuMs = 1000 * (seconds(out.stderr, 'User time') + seconds(out.stderr, 'System time'));
      const own = out.stderr.split('\tCommand being timed:')[0].trim(); // without /usr/bin/time's block
      if (code !== 0) return reject(new Error(`${argv.join(' ')} exited ${code}: ${own.slice(0, 800)}`));
      resolve({ ms, cpuMs, rssKb: rss ? Number(rss[1]) : null, stdout: out.stdout });
    });
  });
}

function reportRow(id, name, dir, logFile, jobs, build = 'dist') {
  const config = path.join(dir, `${id}.json`);
  fs.writeFileSync(config, JSON.stringify({ log_file: logFile }));
  const argv = [process.execPath, path.join(dir, build, 'cli/main.js'), 'report', '--json', '-c', config, ...(jobs ? ['--jobs', String(jobs)] : [])];
  return { id, name, argv, check: (stdout) => JSON.parse(stdout).triggers };
}

const jqRow = (logFile) => ({ id: 'jq', name: '`jq -n -c -f bench/trigger-reasons.jq` (trigger counts only)', argv: ['jq', '-n', '-c', '-f', JQ_PROGRAM, logFile], check: (stdout) => JSON.parse(stdout) });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

async function runRows(rows, runs) {
  for (const row of rows) Object.assign(row, { ms: [], cpu: [], rss: [] });
  for (let round = -1; round < runs; round++) {
    for (const row of rows) {
      const r = await measure(row.argv);
      row.result = row.check(r.stdout);
      if (round < 0) continue;
      row.ms.push(r.ms);
      row.cpu.push(r.cpuMs);
      if (r.rssKb !== null) row.rss.push(r.rssKb);
    }
  }
  for (const row of rows) {
    row.stats = { wallMs: Math.round(median(row.ms)), minMs: Math.round(Math.min(...row.ms)), maxMs: Math.round(Math.max(...row.ms)), cpuMs: Math.round(median(row.cpu)), rssMb: row.rss.length ? Math.round(median(row.rss) / 102.4) / 10 : null };
  }
}

async function prepare(dir, opts) {
  const big = path.join(dir, 'big', 'guard.ndjson');
  const gz = path.join(dir, 'gz', 'guard.ndjson');
  const small = path.join(dir, 'small', 'guard.ndjson');
  // A private copy of the bundle (it has no dependencies outside): a rebuild of dist/ meanwhile cannot break a run.
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  // With the package's "type": "module" beside it, as an install has it: without it Node 20 parses every
  // file of the bundle twice (as CommonJS, then as ES module), ~15 ms of CPU that users never pay.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).type }));
  if (opts.baseline !== null) fs.cpSync(opts.baseline, path.join(dir, 'base'), { recursive: true });
  for (const f of [big, gz, small]) fs.mkdirSync(path.dirname(f));
  const a = generateLog({ lines: opts.lines, out: big, seed: 1, end: END });
  const b = generateLog({ lines: opts.small, out: small, seed: 1, end: END });
  // The same lines rotated and compressed: guard.ndjson.1.gz plus an empty live log.
  await pipeline(fs.createReadStream(big), zlib.createGzip(), fs.createWriteStream(`${gz}.1.gz`));
  fs.writeFileSync(gz, '');
  return { big, gz, small, bigBytes: a.bytes, smallBytes: b.bytes, gzBytes: fs.statSync(`${gz}.1.gz`).size };
}

function machine() {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return { nproc: os.availableParallelism(), cpu, node: process.version, platform: `${os.platform()} ${os.release()}`, loadavg: os.loadavg().map((l) => Math.round(l * 100) / 100) };
}

const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const rate = (bytes, ms) => `${Math.round(bytes / 1e3 / ms)}`;

function printTable(before, after, opts, files, rows, jqVersion) {
  const by = Object.fromEntries(rows.map((r) => [r.id, r]));
  const bytesOf = { big: files.bigBytes, big1: files.bigBytes, big10: files.bigBytes, big2: files.bigBytes, gz: files.bigBytes, small: files.smallBytes, jq: files.bigBytes };
  const lines = [
    `anomaly-guard report bench: median of ${opts.runs} runs per row (after 1 warm-up round), rows interleaved`,
    `machine: ${before.nproc} CPUs, ${before.cpu}, node ${before.node}, ${before.platform}, loadavg ${before.loadavg.join(' ')} before, ${after.loadavg.join(' ')} after`,
    `logs: ${opts.lines.toLocaleString('en')} lines = ${mb(files.bigBytes)} (gzip ${mb(files.gzBytes)}); ${opts.small.toLocaleString('en')} lines = ${mb(files.smallBytes)}`,
    '',
    '| row | command | wall ms (median) | min | max | CPU ms (user+sys) | MB/s wall | MB/s per CPU second | peak RSS MB |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.id} | ${r.name} | ${r.stats.wallMs} | ${r.stats.minMs} | ${r.stats.maxMs} | ${r.stats.cpuMs} | ${rate(bytesOf[r.id], r.stats.wallMs)} | ${rate(bytesOf[r.id], r.stats.cpuMs)} | ${r.stats.rssMb ?? '-'} |`),
    '',
  ];
  if (by.jq) {
    const ratio = (id) => (by.jq.stats.wallMs / by[id].stats.wallMs).toFixed(2);
    lines.push(`jq (${jqVersion}) / report on the same ${opts.lines.toLocaleString('en')} lines, wall time: ${ratio('big')}x (threads as picked), ${ratio('big1')}x (--jobs 1), ${ratio('big2')}x (--jobs 2); CPU time: ${(by.jq.stats.cpuMs / by.big1.stats.cpuMs).toFixed(2)}x (--jobs 1)`);
  } else lines.push('jq row SKIPPED: jq is not installed (apt-get install -y jq)');
  if (by.big10) {
    const jq = by.jq ? `; jq / baseline: wall ${(by.jq.stats.wallMs / by.big10.stats.wallMs).toFixed(2)}x, CPU ${(by.jq.stats.cpuMs / by.big10.stats.cpuMs).toFixed(2)}x` : '';
    lines.push(`this build / baseline (--jobs 1): wall ${(by.big1.stats.wallMs / by.big10.stats.wallMs).toFixed(3)}, CPU ${(by.big1.stats.cpuMs / by.big10.stats.cpuMs).toFixed(3)}${jq}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

// Every row must give the same trigger counts, or the timing compares different work.
function verifyAgreement(rows) {
  const want = JSON.stringify(rows.find((r) => r.id === 'big').result);
  for (const r of rows.filter((x) => x.id !== 'small')) {
    const got = JSON.stringify(Object.fromEntries(Object.entries(r.result).sort((a, b) => b[1] - a[1])));
    if (got !== want) throw new Error(`row ${r.id} counts ${got}, report on the plain log counts ${want}`);
  }
}

// Peak RSS of report (threads as picked, and --jobs 1) over logs of each size: 3 runs each, medians.
async function rssSeries(dir, sizes, runs) {
  const out = [];
  for (const lines of sizes) {
    const log = path.join(dir, `rss-${lines}`, 'guard.ndjson');
    fs.mkdirSync(path.dirname(log));
    const { bytes } = generateLog({ lines, out: log, seed: 1, end: END });
    const rows = [reportRow(`rss-${lines}`, 'auto', dir, log, null), reportRow(`rss1-${lines}`, '--jobs 1', dir, log, 1)];
    await runRows(rows, runs);
    out.push({ lines, bytes, auto: rows[0].stats, one: rows[1].stats });
    fs.rmSync(path.dirname(log), { recursive: true, force: true });
  }
  return out;
}

function printRss(series) {
  const lines = ['', '| lines | log | peak RSS MB (threads as picked) | wall ms | peak RSS MB (--jobs 1) | wall ms |', '|---:|---:|---:|---:|---:|---:|'];
  for (const s of series) lines.push(`| ${s.lines.toLocaleString('en')} | ${mb(s.bytes)} | ${s.auto.rssMb} | ${s.auto.wallMs} | ${s.one.rssMb} | ${s.one.wallMs} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (or use \`npm run bench:report\`)`);
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} is missing: it measures CPU time and peak RSS (apt-get install -y time)`);
  const jqVersion = has('jq') ? execFileSync('jq', ['--version'], { encoding: 'utf8' }).trim() : null;
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
      reportRow('big', `report --json, ${big} lines (threads as picked)`, dir, files.big, null),
      reportRow('big1', `report --json --jobs 1, ${big} lines`, dir, files.big, 1),
      reportRow('big2', `report --json --jobs 2, ${big} lines`, dir, files.big, 2),
      ...(opts.baseline !== null ? [reportRow('big10', `as big1, baseline build (${opts.baseline})`, dir, files.big, 1, 'base')] : []),
      ...(jqVersion ? [jqRow(files.big)] : []),
      reportRow('gz', `report --json, ${big} lines in guard.ndjson.1.gz`, dir, files.gz, null),
      reportRow('small', `report --json, ${opts.small.toLocaleString('en')} lines`, dir, files.small, null),
    ];
    const before = machine();
    await runRows(rows, opts.runs);
    const after = machine();
    verifyAgreement(rows);
    const rss = opts.rss ? await rssSeries(dir, opts.rss, 3) : null;
    if (opts.json) process.stdout.write(`${JSON.stringify({ machine: before, loadavgAfter: after.loadavg, ...opts, jq: jqVersion, files, rows: rows.map(({ id, name, ms, cpu, rss: r, stats }) => ({ id, name, samplesMs: ms, cpuMs: cpu, rssKb: r, ...stats })), rssSeries: rss }, null, 2)}\n`);
    else {
      printTable(before, after, opts, files, rows, jqVersion);
      if (rss) printRss(rss);
    }
  } finally {
    cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`report-bench: ${err.message}\n`);
  process.exitCode = 1;
});
