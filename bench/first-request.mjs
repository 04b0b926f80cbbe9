#!/usr/bin/env node
// Where a fresh process's first HTTP request spends its time, in CPU time around the request, so a busy
// machine's waits do not count: of the main thread (Linux /proc/self/task/<pid>/schedstat) and of all
// threads (process.cpuUsage: also node's background compiler and GC threads, which compete for the
// cores on a busy machine): with 0-3 warm-up GETs to a throwaway socket server on
// 127.0.0.1 before it (what src/effects/http-warmup.ts does), and with node's HTTP server as the warm-up
// server instead. Each sample is a new node process. Usage: node bench/first-request.mjs [--runs N]
import { execFileSync, spawn } from 'node:child_process';

// The child: warm up as told, then time two GETs to the target (the "first" and a later one).
const CHILD = `
const http = require('node:http');
const net = require('node:net');
const [target, variant, n] = process.argv.slice(1);
const fs = require('node:fs');
const stat = '/proc/self/task/' + process.pid + '/schedstat';
const main = fs.existsSync(stat) ? () => Number(fs.readFileSync(stat, 'utf8').split(' ')[0]) / 1e6 : () => NaN;
const all = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
main(); all(); // their own first calls are not the request's
const cpu = () => [main(), all()];
const minus = (a, b) => [a[0] - b[0], a[1] - b[1]];
const get = (url) => new Promise((resolve) => {
  const req = http.request(url, { agent: false, headers: { accept: 'application/json' } }, (res) => {
    const chunks = []; res.on('data', (c) => chunks.push(c)); res.on('end', () => resolve(Buffer.concat(chunks)));
  });
  req.on('error', resolve); req.end();
});
const BODY = '{"status":"warm-up"}';
const ANSWER = 'HTTP/1.1 200 OK\\r\\ncontent-type: application/json\\r\\ncontent-length: ' + BODY.length + '\\r\\nconnection: close\\r\\n\\r\\n' + BODY;
(async () => {
  const t0 = cpu();
  if (Number(n) > 0) {
    const server = variant === 'http'
      ? http.createServer((q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end(BODY))
      : net.createServer((s) => { s.on('error', () => {}); s.once('data', () => s.end(ANSWER)); });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    for (let i = 0; i < Number(n); i++) await get('http://127.0.0.1:' + server.address().port + '/health');
    await new Promise((r) => { server.close(r); server.closeAllConnections?.(); });
  }
  const t1 = cpu();
  await get(target);
  const t2 = cpu();
  await get(target);
  const t3 = cpu();
  console.log(JSON.stringify({ warmUp: minus(t1, t0), first: minus(t2, t1), later: minus(t3, t2) }));
})();
`;
const SERVER = `
require('node:http').createServer((q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"Healthy"}'))
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });
process.stdin.on('end', () => process.exit(0)); process.stdin.resume();
`;
const VARIANTS = [
  { name: 'no warm-up', variant: 'net', n: 0 },
  { name: '1 GET, node HTTP server', variant: 'http', n: 1 },
  { name: '1 GET, socket server', variant: 'net', n: 1 },
  { name: '2 GETs, socket server (shipped)', variant: 'net', n: 2 },
  { name: '3 GETs, socket server', variant: 'net', n: 3 },
];

const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 21;
const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
const port = await new Promise((resolve) => server.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
const target = `http://127.0.0.1:${port}/health`;
const samples = VARIANTS.map(() => []);
try {
  for (let round = 0; round < runs; round++) {
    VARIANTS.forEach((v, i) => samples[i].push(JSON.parse(execFileSync(process.execPath, ['-e', CHILD, target, v.variant, String(v.n)], { encoding: 'utf8' }))));
  }
} finally {
  server.stdin.end();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (v) => v.toFixed(2);
const lines = [
  `first request of a fresh node process, CPU ms, medians of ${runs} processes (node ${process.version}, loadavg ${(await import('node:os')).loadavg()[0].toFixed(1)})`,
  '',
  '| warm-up | warm-up CPU (main) | first request: main thread | later: main | first: all threads | later: all |',
  '|---|---:|---:|---:|---:|---:|',
];
VARIANTS.forEach((v, i) => {
  const s = samples[i];
  const m = (key, k) => f(median(s.map((x) => x[key][k])));
  lines.push(`| ${v.name} | ${m('warmUp', 0)} | ${m('first', 0)} | ${m('later', 0)} | ${m('first', 1)} | ${m('later', 1)} |`);
});
process.stdout.write(`${lines.join('\n')}\n`);
