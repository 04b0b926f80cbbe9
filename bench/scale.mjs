// The scale benchmark (issue 12): one `anomaly-guard run` guarding 1,000 / 10,000 / 20,000 targets at a 10 s
// interval against a loopback server in a process of its own, the daemon pinned to one core (taskset -c 1
// when there is one). After a warm-up (--warmup S; default two intervals + 5 s), for a fixed window, it measures:
// - the daemon's CPU (% of one core, from /proc/<pid>/stat) and RSS (VmRSS, peak and last);
// - start-to-start lag per target from the logged check records (consecutive `ts` minus the interval),
//   p50 / p99 / max over all targets, the checks more than 50 ms late, the p99 of each 5 s of the window (one
//   stall, a full GC, shows as one bad bucket), the probes missed (cycles expected in the window vs check records),
//   and the spread of the schedule (of the interval's 10 ms slots, how many the targets' checks land in);
// - the latency bias: the guard's logged latency_ms of the answering targets against a bare client of its
//   own process (plain node:http GETs to the same server during the same run), p50 and p90;
// - the start-up rebuild: the time to load the config and read every target's state back from the logs the run
//   left (bench/scale/rebuild.mjs, the daemon's own code).
// Usage: npm run bench:scale -- [--targets 1000,10000] [--interval 10] [--window 60] [--hang 0.1]
//        [--runs 1] [--warmup S] [--cli DIST/cli/main.js (another build)] [--prof DIR] [--keep] [--keep-alive] [--bare]
//        [--node-arg ARG (one more option for the daemon's node, repeatable)]
// --bare: then, on the same core, server and window, bench/scale/bare-scale.mjs (a bare Node loop doing the
// same probes, host reads and appends for the same targets): its CPU and checks, and the guard's CPU against it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
let CLI = join(HERE, '..', 'dist', 'cli', 'main.js');
const TICK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

function args() {
  const a = { targets: [1000, 10000], interval: 10, window: 60, warmup: null, hang: 0, runs: 1, prof: null, keep: false, keepAlive: false, bare: false, core: '1', otherCore: '0' };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    const k = v[i];
    if (k === '--targets') a.targets = v[++i].split(',').map(Number);
    else if (k === '--interval') a.interval = Number(v[++i]);
    else if (k === '--window') a.window = Number(v[++i]);
    else if (k === '--warmup') a.warmup = Number(v[++i]);
    else if (k === '--cli') CLI = v[++i];
    else if (k === '--hang') a.hang = Number(v[++i]);
    else if (k === '--runs') a.runs = Number(v[++i]);
    else if (k === '--prof') a.prof = v[++i];
    else if (k === '--keep') a.keep = true;
    else if (k === '--keep-alive') a.keepAlive = true;
    else if (k === '--bare') a.bare = true;
    else if (k === '--node-arg') (a.nodeArgs ??= []).push(v[++i]);
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
})();
const pinned = (core, argv) => (hasTaskset ? ['taskset', ['-c', core, ...argv]] : [argv[0], argv.slice(1)]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function startChild(core, argv, opts = {}) {
  const [cmd, rest] = pinned(core, argv);
  const child = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (s) => (out += s));
  child.stderr.setEncoding('utf8').on('data', (s) => (err += s));
  const exited = new Promise((r) => child.on('exit', (code, sig) => r(code ?? sig)));
  return { child, out: () => out, err: () => err, exited };
}

async function firstLine(c) {
  for (let i = 0; i < 200 && !c.out().includes('\n'); i++) await sleep(25);
  return c.out().split('\n')[0];
}

async function stopChild(c, timeoutMs = 30_000) {
  c.child.kill('SIGTERM');
  const t = await Promise.race([c.exited, sleep(timeoutMs).then(() => 'timeout')]);
  if (t === 'timeout') c.child.kill('SIGKILL');
  return t;
}

// CPU ticks (user + system, all threads) and RSS of a process.
function procStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(f[11]) + Number(f[12]);
  const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  // The main thread alone (the JavaScript); the rest is libuv's pool (file I/O) and V8's helper threads.
  const main = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
  const m = main.slice(main.lastIndexOf(')') + 2).split(' ');
  return { ticks, rss, mainTicks: Number(m[11]) + Number(m[12]) };
}

function nameOf(i) {
  return `t${String(i).padStart(5, '0')}`;
}

function writeConfig(dir, n, intervalS, hang, port, keepAlive) {
  const hangEvery = hang > 0 ? Math.round(1 / hang) : 0;
  const targets = [];
  for (let i = 0; i < n; i++) {
    const hangs = hangEvery > 0 && i % hangEvery === hangEvery - 1;
    targets.push({ name: nameOf(i), health: { url: `http://127.0.0.1:${port}/${hangs ? 'hang' : 'ok'}/${nameOf(i)}` } });
  }
  const config = {
    interval: `${intervalS}s`,
    log_file: join(dir, 'logs', 'anomaly_guard.ndjson'),
    scheduler_log: join(dir, 'logs', 'scheduler.log'),
    health: { timeout: '2s', ...(keepAlive ? { keep_alive: true } : {}) },
    targets,
  };
  const file = join(dir, 'anomaly-guard.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

const pct = (sorted, p) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const round = (x, d = 1) => (x === null ? null : Math.round(x * 10 ** d) / 10 ** d);

// Lag and misses of every target's check records within [fromMs, toMs).
function analyseLogs(dir, n, intervalMs, fromMs, toMs, hang) {
  const lags = [];
  const latencies = [];
  // Lags by the 5 s bucket of their record (the p99 of each shows whether a few stalls make the window's p99), and
  // the 10 ms slots of the interval the targets' checks land in (a spread schedule uses most of them).
  const buckets = new Map();
  const slots = new Map();
  let expected = 0;
  let got = 0;
  let missed = 0;
  const hangEvery = hang > 0 ? Math.round(1 / hang) : 0;
  for (let i = 0; i < n; i++) {
    const file = join(dir, 'logs', `anomaly_guard.${nameOf(i)}.ndjson`);
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const ts = [];
    for (const line of text.split('\n')) {
      if (line === '' || line.includes('"event"')) continue;
      const r = JSON.parse(line);
      const t = Date.parse(r.ts);
      ts.push(t);
      const hangs = hangEvery > 0 && i % hangEvery === hangEvery - 1;
      if (t >= fromMs && t < toMs && !hangs && r.lat?.ok) latencies.push(r.lat.latency_ms);
    }
    const inside = ts.filter((t) => t >= fromMs && t < toMs);
    if (inside.length > 0) {
      const slot = Math.floor((inside.at(-1) % intervalMs) / 10);
      slots.set(slot, (slots.get(slot) ?? 0) + 1);
    }
    expected += (toMs - fromMs) / intervalMs;
    got += inside.length;
    // From the second gap on: a target's first check is stamped after a CPU sample of cpu_sample (no previous
    // reading yet), the later ones right after their probe.
    for (let k = 2; k < ts.length; k++) {
      if (ts[k] < fromMs || ts[k] >= toMs) continue;
      const gap = ts[k] - ts[k - 1];
      lags.push(gap - intervalMs);
      const b = Math.floor((ts[k] - fromMs) / 5000);
      if (!buckets.has(b)) buckets.set(b, []);
      buckets.get(b).push(gap - intervalMs);
      missed += Math.max(0, Math.round(gap / intervalMs) - 1);
    }
  }
  lags.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  const byBucket = [...buckets.keys()].sort((a, b) => a - b).map((b) => pct(buckets.get(b).sort((x, y) => x - y), 99));
  const spread = { slotsUsed: slots.size, slotsOf: Math.floor(intervalMs / 10), fullestSlot: Math.max(0, ...slots.values()) };
  return { lags, latencies, expected: Math.round(expected), got, missed, byBucket, spread };
}

function schedulerCounts(dir) {
  const file = join(dir, 'logs', 'scheduler.log');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = text.split('\n').filter(Boolean);
  // Above 100 targets the skips are counted in the minute's summary line ("; N ticks skipped"), not a line each.
  const summarised = lines.reduce((sum, l) => sum + Number(/; (\d+) ticks? skipped \(cycle still running\)/.exec(l)?.[1] ?? 0), 0);
  return { lines: lines.length, skips: lines.filter((l) => / tick \d+ skipped: /.test(l)).length + summarised, problems: lines.filter((l) => /error|cannot|stall/.test(l)).length };
}

async function oneRun(n, a, runNo) {
  const dir = mkdtempSync(join(tmpdir(), `ag-scale-${n}-`));
  const server = startChild(a.otherCore, [process.execPath, join(HERE, 'scale', 'server.mjs')]);
  const port = Number(await firstLine(server));
  const configFile = writeConfig(dir, n, a.interval, a.hang, port, a.keepAlive);
  const intervalMs = a.interval * 1000;
  const nodeArgs = [...(a.prof ? [`--cpu-prof`, `--cpu-prof-dir=${a.prof}`] : []), ...(a.nodeArgs ?? [])];
  const started = Date.now();
  const daemon = startChild(a.core, [process.execPath, ...nodeArgs, CLI, 'run', '--quiet', '-c', configFile]);
  // Warm-up: the first interval spreads the first cycles (each reads its log once, and its first CPU figure samples
  // for cpu_sample); at 10,000 targets that interval queues probes for seconds, and the next one catches up (cycles
  // then start early on the logged clock). Two intervals and 5 s by default, so the window measures the steady state.
  await sleep(a.warmup !== null ? a.warmup * 1000 : 2 * intervalMs + 5000);
  const bare = startChild(a.otherCore, [process.execPath, join(HERE, 'scale', 'bare-client.mjs'), `http://127.0.0.1:${port}/ok/bare`, '100']);
  const pid = daemon.child.pid;
  const s0 = procStat(pid);
  const fromMs = Date.now();
  let peakRss = s0.rss;
  const endAt = fromMs + a.window * 1000;
  while (Date.now() < endAt) {
    await sleep(1000);
    peakRss = Math.max(peakRss, procStat(pid).rss);
  }
  const s1 = procStat(pid);
  const toMs = Date.now();
  await stopChild(bare);
  const bareLat = JSON.parse(bare.out().trim().split('\n').at(-1) || '[]').sort((x, y) => x - y);
  const stopCode = await stopChild(daemon, 60_000);
  const bareRun = a.bare ? await bareScale(n, a, port, dir) : null;
  await stopChild(server);
  const cpu = ((s1.ticks - s0.ticks) / TICK / ((toMs - fromMs) / 1000)) * 100;
  const mainCpu = ((s1.mainTicks - s0.mainTicks) / TICK / ((toMs - fromMs) / 1000)) * 100;
  const logs = analyseLogs(dir, n, intervalMs, fromMs, toMs - intervalMs / 2, a.hang);
  const sched = schedulerCounts(dir);
  const rebuild = await rebuildTime(dir, configFile, n, a);
  if (!a.keep) rmSync(dir, { recursive: true, force: true });
  return {
    targets: n,
    run: runNo,
    hang: a.hang,
    cpuPct: round(cpu),
    mainThreadPct: round(mainCpu),
    keepAlive: a.keepAlive,
    rssPeakMB: round(peakRss / 2 ** 20),
    rssEndMB: round(s1.rss / 2 ** 20),
    lagP50: round(pct(logs.lags, 50)),
    lagP99: round(pct(logs.lags, 99)),
    lagMax: round(logs.lags.at(-1) ?? null),
    late50: logs.lags.filter((l) => l > 50).length,
    lagP99Per5s: logs.byBucket.map((x) => round(x, 0)),
    spread: logs.spread,
    expected: logs.expected,
    checks: logs.got,
    missed: logs.missed,
    skips: sched.skips,
    latP50: round(pct(logs.latencies, 50), 2),
    latP90: round(pct(logs.latencies, 90), 2),
    bareP50: round(pct(bareLat, 50), 2),
    bareP90: round(pct(bareLat, 90), 2),
    schedLines: sched.lines,
    ...(bareRun ? { bareLoop: bareRun, cpuVsBare: round(cpu / bareRun.cpuPct, 2) } : {}),
    rebuildS: rebuild,
    stop: stopCode,
    dir: a.keep ? dir : undefined,
    wallS: round((Date.now() - started) / 1000),
  };
}

// The bare reference (bench/scale/bare-scale.mjs) for the same targets, core, server and window: CPU % of the core
// and the checks it appended within the window (its logs' lines).
async function bareScale(n, a, port, dir) {
  const logs = join(dir, 'bare');
  const intervalMs = a.interval * 1000;
  const child = startChild(a.core, [process.execPath, join(HERE, 'scale', 'bare-scale.mjs'), String(port), logs, String(n), String(intervalMs), a.keepAlive ? 'keepalive' : 'fresh']);
  await sleep(intervalMs + 5000);
  const lines = () => (existsSync(logs) ? readdirSync(logs).reduce((sum, f) => sum + readFileSync(join(logs, f), 'utf8').split('\n').length - 1, 0) : 0);
  const s0 = procStat(child.child.pid);
  const c0 = lines();
  const t0 = Date.now();
  await sleep(a.window * 1000);
  const s1 = procStat(child.child.pid);
  const t1 = Date.now();
  const c1 = lines();
  await stopChild(child);
  return { cpuPct: round(((s1.ticks - s0.ticks) / TICK / ((t1 - t0) / 1000)) * 100), checks: c1 - c0, expected: Math.round((n * (t1 - t0)) / intervalMs), rssMB: round(s1.rss / 2 ** 20) };
}

// The start-up rebuild of every target's state from the logs the run left (bench/scale/rebuild.mjs), on the
// daemon's core: seconds to load the config and to read every target's history.
async function rebuildTime(dir, configFile, n, a) {
  const c = startChild(a.core, [process.execPath, join(HERE, 'scale', 'rebuild.mjs'), configFile]);
  await c.exited;
  try {
    const r = JSON.parse(c.out().trim().split('\n').at(-1));
    return { loadS: r.loadS, rebuildS: r.rebuildS };
  } catch {
    return { error: c.err().slice(0, 300) };
  }
}

const a = args();
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
const machine = `${readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? '?'}, ${readdirSync('/sys/devices/system/cpu').filter((d) => /^cpu\d+$/.test(d)).length} cpus, load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}, node ${process.version}, taskset ${hasTaskset ? 'yes' : 'no'}`;
console.error(`# ${machine}`);
const results = [];
for (const n of a.targets) {
  for (let r = 1; r <= a.runs; r++) {
    const res = await oneRun(n, a, r);
    results.push(res);
    console.log(JSON.stringify(res));
  }
}
console.error(`# load after: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
