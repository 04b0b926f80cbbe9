#!/usr/bin/env node
// Writes a deterministic NDJSON guard log (the record shapes of CONTRACT.md) for benchmarks:
// check records every 5 minutes ending 5 minutes before `end`, lognormal latencies with a rolling
// baseline (window 50), and ~1 % event records (latency triggers with their heal and verify, disk warnings).
// CLI: node bench/gen-log.mjs --lines 1000000 --out FILE [--seed 1] [--end ISO] [--cadence-ms 300000]
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const CADENCE_MS = 5 * 60 * 1000; // the default: one check every 5 minutes
const WINDOW = 50;
const LINES_PER_WRITE = 20_000;
const P_SPIKE = 0.003; // a check, anomaly_trigger, self_heal, heal_verify: 3 extra lines
const P_DISK = 0.001; // a check and a resource_warning: 1 extra line

/** A seeded PRNG returning floats in [0, 1) (mulberry32). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A standard normal draw (Box-Muller).
const normal = (rand) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const r1 = (v) => Math.round(v * 10) / 10;
const r2 = (v) => Math.round(v * 100) / 100;
const r3 = (v) => Math.round(v * 1000) / 1000;

// ISO 8601 UTC with microseconds from epoch ms plus a 0-999 µs part.
function ts(ms, micros) {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

// What each cycle adds beyond its check record: 0 none, 1 latency spike (+3 lines), 2 disk warning (+1).
function planCycles(lines, rand) {
  const kinds = [];
  for (let left = lines; left > 0; ) {
    const u = rand();
    // No spike before the window can score one (10 samples).
    const kind = kinds.length < 10 ? 0 : u < P_SPIKE ? 1 : u < P_SPIKE + P_DISK ? 2 : 0;
    kinds.push(kind);
    left -= 1 + (kind === 1 ? 3 : kind === 2 ? 1 : 0);
  }
  return kinds;
}

// A ring of the last WINDOW ok latencies with mean and sample stdev (recomputed, so no float drift).
function rollingWindow() {
  const ring = new Float64Array(WINDOW);
  let n = 0;
  let head = 0;
  return {
    stats() {
      if (n < 10) return null;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += ring[i];
      const mean = sum / n;
      let sq = 0;
      for (let i = 0; i < n; i++) sq += (ring[i] - mean) ** 2;
      return { mean, stdev: Math.sqrt(sq / (n - 1)) };
    },
    push(v) {
      ring[head] = v;
      head = (head + 1) % WINDOW;
      if (n < WINDOW) n++;
    },
  };
}

// The lines of one cycle at time `t` (epoch ms).
function cycleLines(kind, t, rand, win) {
  const base = win.stats();
  const cpu = r1(8 + 25 * rand());
  const mem = r1(31 + 6 * rand());
  const disk = r1(kind === 2 ? 90.5 + 4 * rand() : 62 + 6 * rand());
  let lat = 45 * Math.exp(0.09 * normal(rand));
  if (kind === 1 && base) lat = base.mean + Math.max(base.stdev, 0.5) * (3.5 + 5 * rand());
  lat = r3(lat);
  const score = base ? r2((lat - base.mean) / Math.max(base.stdev, 0.5)) : null;
  const stats = base ? `"mean":${r3(base.mean)},"stdev":${r3(base.stdev)}` : '"mean":null,"stdev":null';
  const t0 = ts(t + Math.floor(rand() * 40), Math.floor(rand() * 1000));
  const out = [`{"ts":"${t0}","lat":{"latency_ms":${lat},"ok":true},"res":{"cpu":${cpu},"mem":${mem},"disk":${disk}},"score":${score},${stats}}`];
  win.push(lat);
  if (kind === 1) out.push(...healLines(t, t0, rand, { lat, score, cpu, mem, disk }));
  if (kind === 2) {
    out.push(`{"event":"resource_warning","ts":"${t0}","reasons":["disk_warning (${disk}%)"],"cpu":${cpu},"mem":${mem},"disk":${disk}}`);
  }
  return out;
}

// anomaly_trigger, self_heal and heal_verify after a latency spike.
function healLines(t, t0, rand, m) {
  const durMs = r3(900 + 2500 * rand());
  const healEnd = t + 20 + durMs;
  return [
    `{"event":"anomaly_trigger","ts":"${t0}","reasons":["latency_anomaly_3sigma (score=${m.score})"],"latency":${m.lat},"score":${m.score},"cpu":${m.cpu},"mem":${m.mem},"disk":${m.disk}}`,
    `{"event":"self_heal","ts":"${ts(healEnd, 0)}","command":["python3","scripts/self_heal.py"],"exit_code":0,"signal":null,"timed_out":false,"duration_ms":${durMs},"stdout_tail":"service restarted\\n","stderr_tail":""}`,
    `{"event":"heal_verify","ts":"${ts(healEnd + 10_000, 0)}","recovered":true,"latency_ms":${r3(40 + 10 * rand())}}`,
  ];
}

/** Writes `lines` log lines to `out`, a check every `cadenceMs`; the last check is one cadence before `end`
 * (ms or ISO). Returns {lines, cycles, bytes}. */
export function generateLog({ lines, out, seed = 1, end = Date.now(), cadenceMs = CADENCE_MS }) {
  const endMs = typeof end === 'number' ? end : Date.parse(end);
  if (!Number.isFinite(endMs)) throw new Error(`--end ${end} is not a timestamp; use ISO 8601, e.g. 2025-10-21T08:35:00Z`);
  const kinds = planCycles(lines, mulberry32(seed ^ 0x9e3779b9));
  const rand = mulberry32(seed);
  const win = rollingWindow();
  const startMs = endMs - kinds.length * cadenceMs;
  const fd = fs.openSync(out, 'w');
  let batch = [];
  let written = 0;
  let bytes = 0;
  const flush = () => {
    const buf = Buffer.from(batch.join('\n') + '\n');
    fs.writeSync(fd, buf);
    bytes += buf.length;
    batch = [];
  };
  try {
    for (let i = 0; i < kinds.length && written < lines; i++) {
      for (const line of cycleLines(kinds[i], startMs + i * cadenceMs, rand, win)) {
        if (written === lines) break;
        batch.push(line);
        written++;
      }
      if (batch.length >= LINES_PER_WRITE) flush();
    }
    if (batch.length > 0) flush();
  } finally {
    fs.closeSync(fd);
  }
  return { lines: written, cycles: kinds.length, bytes };
}

function parseArgs(argv) {
  const opts = { lines: 1_000_000, out: null, seed: 1, end: Date.now(), cadenceMs: CADENCE_MS };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--lines') opts.lines = Number(value);
    else if (flag === '--out') opts.out = value;
    else if (flag === '--seed') opts.seed = Number(value);
    else if (flag === '--end') opts.end = value;
    else if (flag === '--cadence-ms') opts.cadenceMs = Number(value);
    else throw new Error(`unknown flag ${flag}; usage: gen-log.mjs --lines N --out FILE [--seed 1] [--end ISO] [--cadence-ms 300000]`);
    i++;
  }
  if (!opts.out) throw new Error('--out FILE is required');
  if (!Number.isInteger(opts.lines) || opts.lines < 0) throw new Error(`--lines ${opts.lines} is not a whole number >= 0`);
  if (!Number.isInteger(opts.seed)) throw new Error(`--seed ${opts.seed} is not an integer`);
  if (!(opts.cadenceMs >= 1)) throw new Error(`--cadence-ms ${opts.cadenceMs} is not a number >= 1`);
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const t0 = process.hrtime.bigint();
    const r = generateLog(parseArgs(process.argv.slice(2)));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    process.stderr.write(`gen-log: ${r.lines} lines (${r.cycles} cycles, ${(r.bytes / 1e6).toFixed(1)} MB) in ${ms.toFixed(0)} ms\n`);
  } catch (err) {
    process.stderr.write(`gen-log: ${err.message}\n`);
    process.exitCode = 2;
  }
}
