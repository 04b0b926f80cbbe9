// The bare client of the scale benchmark: a plain node:http GET on a fresh connection every `every` ms to
// the same server, timed like the guard times its probe (performance.now() around request and body); the
// reference the guard's logged latency is compared with. Prints the latencies (ms) as JSON on SIGTERM.
import http from 'node:http';

const [url, every = '100', keepAlive = '0'] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: keepAlive === '1' });
const got = [];
function once() {
  const start = performance.now();
  const req = http.get(url, { agent, headers: { 'user-agent': 'bare', accept: 'application/json' } }, (res) => {
    res.on('data', () => undefined);
    res.on('end', () => got.push(performance.now() - start));
  });
  req.on('error', () => undefined);
}
const timer = setInterval(once, Number(every));
process.on('SIGTERM', () => {
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify(got)}\n`);
  process.exit(0);
});
