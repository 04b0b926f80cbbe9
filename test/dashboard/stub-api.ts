// A stand-in for the daemon's HTTP server: the built dashboard (via dashboardAssets) plus JSON routes
// answered from data the test sets, an SSE stream the test pushes `cycle` events into, an optional
// bearer token, and the same strict CSP the real server sends.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerResponse } from 'node:http';
import { dashboardAssets } from '../../src/http/dashboard/assets.js';

/** The JSON each route answers (series by range). */
export interface StubData {
  status: unknown;
  events: unknown;
  series: Record<string, unknown>;
}

/** A running stub; `requests` lists every path asked for, with its Authorization header. */
export interface StubApi {
  url: string;
  data: StubData;
  requests: { path: string; auth: string | undefined }[];
  /** Sends a `cycle` event to every open stream. */
  pushCycle(payload: object): void;
  /** How many streams are open. */
  readonly streams: number;
  close(): Promise<void>;
}

const CSP = "default-src 'self'";

/** Starts the stub on 127.0.0.1:0; with `token`, every /api/ call without `Bearer <token>` gets 401. */
export async function startStubApi(data: StubData, opts: { token?: string } = {}): Promise<StubApi> {
  const assets = dashboardAssets();
  if (!assets.has('/assets/app.js')) throw new Error('dist/dashboard is missing: run `npm run build` first (npm test does)');
  const requests: StubApi['requests'] = [];
  const streams = new Set<ServerResponse>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push({ path: `${url.pathname}${url.search}`, auth: req.headers.authorization });
    res.setHeader('content-security-policy', CSP);
    const asset = assets.get(url.pathname);
    if (asset) return void res.writeHead(200, { 'content-type': asset.contentType }).end(asset.body);
    if (!url.pathname.startsWith('/api/')) return void res.writeHead(404).end('not found');
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      res.setHeader('www-authenticate', ['Basic realm="anomaly-guard"', 'Bearer realm="anomaly-guard"']); // as the real server
      return void json(res, 401, { error: 'unauthorized' });
    }
    if (url.pathname === '/api/stream') return openStream(res, streams);
    const body = url.pathname === '/api/status' ? data.status : url.pathname === '/api/events' ? data.events : url.pathname === '/api/series' ? data.series[url.searchParams.get('range') ?? '1h'] : undefined;
    if (body === undefined) return void json(res, 404, { error: 'no route' });
    json(res, 200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    data,
    requests,
    pushCycle: (payload) => streams.forEach((res) => res.write(`event: cycle\ndata: ${JSON.stringify(payload)}\n\n`)),
    get streams() {
      return streams.size;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of streams) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function json(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function openStream(res: ServerResponse, streams: Set<ServerResponse>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.write(': connected\n\n');
  streams.add(res);
  res.on('close', () => streams.delete(res));
}
