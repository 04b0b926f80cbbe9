// Memory of the running daemon at N targets (issue 12): the loopback server of bench/scale, a generated
// config like bench/scale.mjs writes, the daemon (`run --quiet`) started with --heapsnapshot-signal; its
// RSS sampled every second (CPU over the second half), and after --warm seconds a heap snapshot written into the run's folder (read it
// with bench/scale/heap-top.mjs). Prints one JSON line: RSS peak / end (MB), and the snapshot's path.
// Usage: node bench/scale/mem.mjs [--targets 1000] [--interval 10] [--warm 40] [--cli dist/cli/main.js]
//        [--listen (http.listen on, /metrics scraped every 15 s)] [--keep-alive] [--no-snapshot] [--node-arg ARG]...
//        [--snapshots N (N heap snapshots --gap S seconds apart, default 1; heap-top.mjs --since compares two)]
//        [--stdout FILE (the daemon's stdout, e.g. with --node-arg --trace-gc-nvp)]
//        [--heap-prof (a sampling heap profile with what major GCs collected: alloc.heapprofile, bench/scale/heapprof-top.mjs)]
import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { mkdtempSync, openSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const a = { targets: 1000, interval: 10, warm: 40, cli: join(HERE, '..', '..', 'dist', 'cli', 'main.js'), listen: false, keepAlive: false, snapshot: true, snapshots: 1, gap: 4, nodeArgs: [] };
const v = process.argv.slice(2);
for (let i = 0; i < v.length; i++) {
  const k = v[i];
  if (k === '--targets') a.targets = Number(v[++i]);
  else if (k === '--interval') a.interval = Number(v[++i]);
  else if (k === '--warm') a.warm = Number(v[++i]);
  else if (k === '--cli') a.cli = resolve(v[++i]);
  else if (k === '--listen') a.listen = true;
  else if (k === '--keep-alive') a.keepAlive = true;
  else if (k === '--no-snapshot') a.snapshot = false;
  else if (k === '--heap-prof') a.heapProf = true;
  else if (k === '--node-arg') a.nodeArgs.push(v[++i]);
  else if (k === '--snapshots') a.snapshots = Number(v[++i]);
  else if (k === '--gap') a.gap = Number(v[++i]);
  else if (k === '--stdout') a.stdout = resolve(v[++i]);
  else throw new Error(`unknown argument ${k}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

// A free loopback port for --listen (the config wants one from 1 to 65535).
const freePort = () => new Promise((r) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});
const httpPort = a.listen ? await freePort() : 0;
const dir = mkdtempSync(join(tmpdir(), `ag-mem-${a.targets}-`));
const server = spawn('taskset', ['-c', '0', process.execPath, join(HERE, 'server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise((r) => server.stdout.once('data', (d) => r(Number(String(d).trim()))));
const targets = [];
for (let i = 0; i < a.targets; i++) {
  const name = `t${String(i).padStart(5, '0')}`;
  targets.push({ name, health: { url: `http://127.0.0.1:${port}/ok/${name}` } });
}
mkdirSync(join(dir, 'logs'));
const config = {
  interval: `${a.interval}s`,
  log_file: join(dir, 'logs', 'anomaly_guard.ndjson'),
  scheduler_log: join(dir, 'logs', 'scheduler.log'),
  health: { timeout: '2s', ...(a.keepAlive ? { keep_alive: true } : {}) },
  ...(a.listen ? { http: { listen: `127.0.0.1:${httpPort}` } } : {}),
  targets,
};
const file = join(dir, 'anomaly-guard.json');
writeFileSync(file, JSON.stringify(config));
const memLog = join(dir, 'mem.ndjson');
const daemon = spawn('taskset', ['-c', '1', process.execPath, '--heapsnapshot-signal=SIGUSR2', '--import', join(HERE, 'mem-probe.mjs'), ...a.nodeArgs, a.cli, 'run', '--quiet', '-c', file], { cwd: dir, stdio: ['ignore', a.stdout ? openSync(a.stdout, 'w') : 'ignore', 'pipe'], env: { AG_HEAP_PROF_S: String(a.warm - 5), ...process.env, AG_MEM_LOG: memLog, ...(a.heapProf ? { AG_HEAP_PROF: join(dir, 'alloc.heapprofile') } : {}) } });
let err = '';
daemon.stderr.on('data', (d) => (err += d));
const pid = daemon.pid;
await sleep(500);
const daemonPid = Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ')[0]) || pid;
const ticksOf = (pid) => {
  const st = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
};
let peak = 0;
let cpu0 = null;
const series = [];
const t0 = Date.now();
// With --listen, a scrape of /metrics every 15 s, as a Prometheus would.
let scrapes = 0;
const scrape = () => get(`http://127.0.0.1:${httpPort}/metrics`, (res) => res.on('data', () => {}).on('end', () => (scrapes += res.statusCode === 200 ? 1 : 0))).on('error', () => {});
while (Date.now() - t0 < a.warm * 1000) {
  await sleep(1000);
  if (a.listen && series.length % 15 === 14) scrape();
  const r = rssOf(daemonPid);
  peak = Math.max(peak, r);
  series.push(Math.round(r));
  // CPU over the second half of the run (after start-up and the first spread of cycles), % of one core.
  if (cpu0 === null && Date.now() - t0 >= (a.warm * 1000) / 2) cpu0 = { ticks: ticksOf(daemonPid), at: Date.now() };
}
const cpuPct = cpu0 === null ? null : Math.round(((ticksOf(daemonPid) - cpu0.ticks) / 100 / ((Date.now() - cpu0.at) / 1000)) * 1000) / 10;
const end = rssOf(daemonPid);
const mem = readFileSync(memLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const maxOf = (k) => Math.max(...mem.map((m) => m[k]));
const last = mem.at(-1);
const snaps = [];
// One snapshot on SIGUSR2, done once its file stops growing.
const snapshot = async () => {
  const before = new Set(readdirSync(dir));
  process.kill(daemonPid, 'SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await sleep(1000);
    const f = readdirSync(dir).find((n) => n.endsWith('.heapsnapshot') && !before.has(n));
    if (f) {
      const size = readFileSync(join(dir, f)).length;
      await sleep(1500);
      if (readFileSync(join(dir, f)).length === size) return join(dir, f);
    }
  }
  return null;
};
if (a.snapshot) {
  for (let i = 0; i < a.snapshots; i++) {
    if (i > 0) await sleep(a.gap * 1000);
    snaps.push(await snapshot());
  }
}
const snap = snaps.length > 1 ? snaps : (snaps[0] ?? null);
process.kill(daemonPid, 'SIGTERM');
await new Promise((r) => daemon.on('exit', r));
server.kill('SIGTERM');
const checks = readdirSync(join(dir, 'logs')).filter((n) => n.startsWith('anomaly_guard.t')).length;
console.log(JSON.stringify({ targets: a.targets, interval: a.interval, warmS: a.warm, rssPeakMB: Math.round(peak), rssEndMB: Math.round(end), cpuPct, scrapes, series: series.filter((_, i) => i % 5 === 4), heapUsedMaxMB: maxOf('heapUsed'), heapTotalMaxMB: maxOf('heapTotal'), externalMaxMB: maxOf('external'), last, logs: checks, snapshot: snap, dir, load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '), stderr: err.slice(0, 300) }));
