// The loopback service of the scale benchmark, in a process of its own (so it does not share the daemon's
// core): GET /ok/<name> answers {"status":"Healthy"} at once; GET /hang/<name> never answers (the probe
// times out). Prints its port on stdout, then a JSON line of its counters on SIGTERM.
import http from 'node:http';

const BODY = '{"status":"Healthy"}';
let answered = 0;
let hung = 0;
const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/hang/')) {
    hung += 1;
    return; // held until the client gives up
  }
  answered += 1;
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
  res.end(BODY);
});
server.keepAliveTimeout = 30_000;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.on('SIGTERM', () => {
  process.stdout.write(`${JSON.stringify({ answered, hung })}\n`);
  process.exit(0);
});
