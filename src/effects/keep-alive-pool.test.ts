// The client over a keep-alive pool, against real loopback servers counting their connections: reuse, the
// warm-up skipped for a request that reuses a connection, and one retry on a new connection when the server had
// dropped the pooled one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { countingServer, type CountingServer, type Drop } from '../../test/helpers/counting-server.js';
import { nodeHttpGet, type HttpGetResult } from './http-client.js';
import { keepAlivePool, type KeepAlivePool } from './keep-alive-pool.js';

const base = { headers: {}, timeoutMs: 5000, maxBodyBytes: 4096 };
let server: CountingServer | undefined;
let pool: KeepAlivePool | undefined;
afterEach(async () => {
  pool?.close();
  await server?.close();
});

// Three GETs in a row through a new pool; what each gave, which were warmed up, and the connections the server saw.
async function threeGets(drop: Drop, usePool = true): Promise<{ results: HttpGetResult[]; warmed: number[]; connections: number }> {
  server = await countingServer(drop);
  pool = keepAlivePool();
  const warmed: number[] = [];
  let i = 0;
  const get = nodeHttpGet({ warmUp: async () => void warmed.push(i), ...(usePool ? { pool } : {}) });
  const results: HttpGetResult[] = [];
  for (; i < 3; i++) results.push(await get({ ...base, url: server.url }));
  return { results, warmed, connections: server.connections() };
}

describe('nodeHttpGet with a keep-alive pool', () => {
  it('reuses one connection; only the request that connects is warmed up', async () => {
    const { results, warmed, connections } = await threeGets('never');
    expect(results.map((r) => [r.kind, r.timing.reused, r.timing.retried])).toEqual([['response', false, undefined], ['response', true, undefined], ['response', true, undefined]]);
    expect(warmed).toEqual([0]);
    expect(connections).toBe(1);
  });

  it('without a pool: a connection per request, no reused field', async () => {
    const { results, connections } = await threeGets('never', false);
    expect(results.every((r) => r.kind === 'response' && !('reused' in r.timing))).toBe(true);
    expect(connections).toBe(3);
  });

  it('a pooled connection the server cuts off unanswered: sent once more on a new connection, which is timed', async () => {
    const { results, connections } = await threeGets('on-second-request');
    expect(results.map((r) => [r.kind, r.timing.reused, r.timing.retried])).toEqual([['response', false, undefined], ['response', false, true], ['response', false, true]]);
    expect(connections).toBe(3);
    for (const r of results.slice(1)) expect(r.timing.connectMs).toBeTypeOf('number'); // the retry's own connect, not the dropped one's
  });

  it('a server that closes every connection after its answer: every request answered', async () => {
    const { results } = await threeGets('after-answer');
    expect(results.every((r) => r.kind === 'response' && r.timing.reused === false)).toBe(true);
  });

  it('a connection reused many times gathers no listeners: no MaxListenersExceededWarning, nothing held per request', async () => {
    server = await countingServer('never');
    pool = keepAlivePool();
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const get = nodeHttpGet({ warmUp: async () => undefined, pool });
      for (let i = 0; i < 25; i++) expect((await get({ ...base, url: server.url })).kind).toBe('response');
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(server.connections()).toBe(1);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('probes of many targets on one origin are not queued behind each other in the pool: 24 at once, all in flight together', async () => {
    // A server that answers only once 24 requests are open at the same time: a pool that held some back would time out.
    const held: Array<() => void> = [];
    const barrier = http.createServer((_req, res) => {
      held.push(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"Healthy"}'));
      if (held.length === 24) for (const answer of held.splice(0)) answer();
    });
    await new Promise<void>((resolve) => barrier.listen(0, '127.0.0.1', resolve));
    pool = keepAlivePool();
    try {
      const get = nodeHttpGet({ warmUp: async () => undefined, pool });
      const url = `http://127.0.0.1:${(barrier.address() as AddressInfo).port}/health`;
      const results = await Promise.all(Array.from({ length: 24 }, () => get({ ...base, url })));
      expect(results.map((r) => r.kind)).toEqual(Array(24).fill('response'));
    } finally {
      pool.close();
      barrier.closeAllConnections();
      await new Promise((resolve) => barrier.close(resolve));
    }
  });
});
