// The guarded service of `npm run bench:harm`: a loopback HTTP server answering GET /health with
// {"status":"Healthy"} after its normal latency (--base-ms, a little work), plus a control port for the bench:
//   POST /noise?p=P&factor=K&seed=S  from now on each answer takes K × normal with chance P (seeded); p=0: off
//   POST /fault?mode=M        hang | 503 | slow (factor=K, a restart fixes it) | sticky-slow (a restart does not)
//   POST /clear               the bench ends a fault (not counted as a restart)
//   POST /restart             the heal command: a restart ends the fault (but not sticky-slow), drops open connections
//   GET  /stats               {"fault","hung","restarts","answers","slowAnswers"} (every control request answers it)
// Prints `{"health":port,"control":port}` once listening; exits when its stdin closes (the bench went away).
import http from 'node:http';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../gen-log.mjs';

const { values } = parseArgs({ options: { 'base-ms': { type: 'string', default: '10' } } });
const baseMs = Number(values['base-ms']);
const state = { fault: null, factor: 1, noise: { p: 0, factor: 1, random: Math.random }, restarts: 0, answers: 0, slowAnswers: 0 };
const hung = new Set();

function answer(res, code, body) {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function health(req, res) {
  if (state.fault === 'hang') {
    hung.add(res);
    res.once('close', () => hung.delete(res));
    return;
  }
  let factor = state.fault === 'slow' || state.fault === 'sticky-slow' ? state.factor : 1;
  if (state.noise.p > 0 && state.noise.random() < state.noise.p) {
    factor *= state.noise.factor;
    state.slowAnswers += 1;
  }
  setTimeout(() => {
    state.answers += 1;
    if (state.fault === '503') answer(res, 503, { status: 'Unavailable' });
    else answer(res, 200, { status: 'Healthy' });
  }, baseMs * factor);
}

// Ends the fault; a restart also drops what the old process held (hung connections).
function endFault(byRestart) {
  if (byRestart) state.restarts += 1;
  if (byRestart && state.fault === 'sticky-slow') return;
  state.fault = null;
  state.factor = 1;
  for (const res of hung) res.destroy();
  hung.clear();
}

function control(req, res) {
  const url = new URL(req.url ?? '/', 'http://bench.invalid');
  const factor = Number(url.searchParams.get('factor') ?? '1');
  const route = `${req.method} ${url.pathname}`;
  const p = Number(url.searchParams.get('p') ?? '0');
  if (route === 'POST /noise') state.noise = { p, factor, random: mulberry32(Number(url.searchParams.get('seed') ?? '1')) };
  else if (route === 'POST /fault') Object.assign(state, { fault: url.searchParams.get('mode'), factor });
  else if (route === 'POST /clear') endFault(false);
  else if (route === 'POST /restart') endFault(true);
  else if (route !== 'GET /stats') return answer(res, 404, { error: `no route ${route}` });
  answer(res, 200, { fault: state.fault, hung: hung.size, restarts: state.restarts, answers: state.answers, slowAnswers: state.slowAnswers });
}

const listen = (server) => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
const healthServer = http.createServer((req, res) => (new URL(req.url ?? '/', 'http://x').pathname === '/health' ? health(req, res) : answer(res, 404, {})));
const controlServer = http.createServer(control);
const ports = { health: await listen(healthServer), control: await listen(controlServer) };
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
