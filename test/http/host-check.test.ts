// The Host check against DNS rebinding, with real requests on a socket carrying the Host header a
// browser would send under a rebound name: refused (403, one line naming http.allowed_hosts) on a
// loopback listen; IP addresses and localhost always answered; listed names (and subdomains of a
// ".name") answered; "*" and a non-loopback listen (token required) answer every name. And the key's
// validation.
import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { GuardError } from '../../src/errors.js';
import { hostAllowed } from '../../src/http/host-check.js';
import { startHttpServer, type HttpServer } from '../../src/http/serve.js';
import { appFixture, TOKEN, type AppFixture } from './app-fixture.js';

let fx: AppFixture | undefined;
let server: HttpServer | undefined;
afterEach(async () => {
  await server?.close(100);
  fx?.cleanup();
  server = fx = undefined;
});

async function listen(httpConfig: Record<string, unknown>): Promise<number> {
  fx = appFixture({ raw: { http: httpConfig } });
  const got = await startHttpServer(fx.app.fetch, { host: '127.0.0.1', port: 0, loopback: true });
  if (typeof got === 'string') throw new Error(got);
  server = got;
  return got.port;
}

/** GET `path` on 127.0.0.1 with this Host header (as a browser sends it for a rebound name). */
function getWithHost(port: number, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false, headers: { host, authorization: `Bearer ${TOKEN}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

const ROUTES = ['/api/status', '/api/events', '/api/series', '/metrics', '/healthz', '/', '/assets/app.js'];

describe('Host check (DNS rebinding)', () => {
  it.each([
    ['a rebound name on a token-less loopback server', { listen: '127.0.0.1:9102', token: '' }, 'rebind.attacker.example', 403],
    ['the name with a trailing dot and upper case', { listen: '127.0.0.1:9102', token: '' }, 'REBIND.attacker.example.', 403],
    ['a name that only starts like localhost', { listen: '127.0.0.1:9102', token: '' }, 'localhost.attacker.example', 403],
    ['127.0.0.1', { listen: '127.0.0.1:9102', token: '' }, '127.0.0.1', 200],
    ['localhost (any case)', { listen: '127.0.0.1:9102', token: '' }, 'LocalHost', 200],
    ['[::1]', { listen: '127.0.0.1:9102', token: '' }, '[::1]', 200],
    ['another loopback address', { listen: '127.0.0.1:9102', token: '' }, '127.0.0.2', 200],
    ['a listed name', { listen: '127.0.0.1:9102', allowed_hosts: ['guard.example.com'] }, 'guard.example.com', 200],
    ['a subdomain of a listed .name', { listen: '127.0.0.1:9102', allowed_hosts: ['.corp.example'] }, 'web-1.corp.example', 200],
    ['the listed .name itself', { listen: '127.0.0.1:9102', allowed_hosts: ['.corp.example'] }, 'corp.example', 200],
    ['a name that only ends like a listed .name', { listen: '127.0.0.1:9102', allowed_hosts: ['.corp.example'] }, 'evilcorp.example', 403],
    ['any name with "*"', { listen: '127.0.0.1:9102', allowed_hosts: ['*'] }, 'anything.example', 200],
    ['any name on a non-loopback listen (the token guards it)', { listen: ':9102', token: TOKEN }, 'web-1', 200],
    ['a name not listed on a non-loopback listen with a list', { listen: ':9102', token: TOKEN, allowed_hosts: ['web-1'] }, 'web-2', 403],
  ])('%s: http %j, Host %s → %i on every route', async (_name, httpConfig, hostName, status) => {
    const port = await listen(httpConfig);
    for (const route of ROUTES) {
      const res = await getWithHost(port, route, `${hostName}:${port}`);
      expect(res.status, route).toBe(status);
      if (status === 403) {
        expect(JSON.parse(res.body)).toEqual({
          error: `host ${JSON.stringify(`${hostName}:${port}`)} is not allowed: this server answers only its IP addresses, localhost and the names in http.allowed_hosts (a page under another name could be a DNS-rebinding attack); to open it under this name, add the name to http.allowed_hosts`,
        });
      }
    }
  });

  it('a reload applies a new list at once', async () => {
    const port = await listen({ listen: '127.0.0.1:9102' });
    expect((await getWithHost(port, '/healthz', 'guard.example.com')).status).toBe(403);
    fx!.config.http.allowedHosts.push('guard.example.com'); // what a SIGHUP reload hands the app: the config in force
    expect((await getWithHost(port, '/healthz', 'guard.example.com')).status).toBe(200);
  });
});

describe('Host headers that are not a host[:port]', () => {
  it.each(['attacker.example@127.0.0.1', '127.0.0.1/x', 'a b', '', 'x'.repeat(300)])('%j is refused', (header) => {
    expect(hostAllowed(header, [])).toBe(false);
  });
});

describe('http.allowed_hosts: validation', () => {
  const problems = (value: unknown): string[] => {
    try {
      validateConfig({ http: { allowed_hosts: value } }, { file: null, baseDir: '/' });
      return [];
    } catch (err) {
      if (err instanceof GuardError) return err.details ?? [];
      throw err;
    }
  };
  it.each([
    [['guard.example.com', '.example.com', '*', 'web-1', 'host.'], []],
    ['guard.example.com', ['http.allowed_hosts: "guard.example.com" is not a list; give a host name without scheme or port, e.g. guard.example.com, .example.com for it and its subdomains, or * for any name, in a list: [guard.example.com]']],
    [['ok.example', 'http://guard.example.com'], ['http.allowed_hosts: item 1 ("http://guard.example.com") is not a host name; give a host name without scheme or port, e.g. guard.example.com, .example.com for it and its subdomains, or * for any name']],
    [['guard.example.com:9102'], ['http.allowed_hosts: item 0 ("guard.example.com:9102") is not a host name; give a host name without scheme or port, e.g. guard.example.com, .example.com for it and its subdomains, or * for any name']],
    [[42], ['http.allowed_hosts: item 0 (42) is not a host name; give a host name without scheme or port, e.g. guard.example.com, .example.com for it and its subdomains, or * for any name']],
  ])('%j → %j', (value, expected) => {
    expect(problems(value)).toEqual(expected);
  });
});
