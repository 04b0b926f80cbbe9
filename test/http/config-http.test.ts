// The config keys of the HTTP server and Alertmanager: accepted forms, normalised values, the token rule.
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { GuardError } from '../../src/errors.js';

const where = { file: null, baseDir: '/tmp' };
const load = (raw: Record<string, unknown>) => validateConfig(raw, where);

describe('http and alert.alertmanager keys', () => {
  it('defaults: both off', () => {
    const { config } = load({});
    expect(config.http).toEqual({ listen: null, token: null, allowedHosts: [] });
    expect(config.alert.alertmanager).toEqual({ url: '', timeoutMs: 10_000, instance: null });
  });

  it.each([
    [{ listen: '[::1]:9102' }, { listen: { host: '::1', port: 9102, loopback: true }, token: null, allowedHosts: [] }],
    [{ listen: 'localhost:9102' }, { listen: { host: '127.0.0.1', port: 9102, loopback: true }, token: null, allowedHosts: [] }],
    [{ listen: '0.0.0.0:9102', token: 'a'.repeat(32) }, { listen: { host: '0.0.0.0', port: 9102, loopback: false }, token: 'a'.repeat(32), allowedHosts: [] }],
    [{ listen: ':9102', token: 'b'.repeat(20) }, { listen: { host: '', port: 9102, loopback: false }, token: 'b'.repeat(20), allowedHosts: [] }],
  ])('http %j', (http, want) => {
    expect(load({ http })).toEqual({ config: expect.objectContaining({ http: want }), warnings: [] });
  });

  it('a short token is accepted with a warning that does not show it', () => {
    const { warnings } = load({ http: { listen: '127.0.0.1:9102', token: 'short' } });
    expect(warnings).toEqual(['http.token: is shorter than 16 characters (not shown); use a long random token, e.g. the output of `openssl rand -hex 32`']);
  });

  it('a public address without a token is an error naming http.token', () => {
    let err: unknown;
    try {
      load({ http: { listen: ':9102' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuardError);
    expect((err as GuardError).details).toEqual([
      "http.token: is empty, but http.listen (*:9102) is not a loopback address, so anyone who can reach it could read the guard's state; set a bearer token (e.g. the output of `openssl rand -hex 32`), or listen on 127.0.0.1",
    ]);
  });

  it('alert.alertmanager: url, timeout, instance', () => {
    const { config } = load({ alert: { alertmanager: { url: 'http://127.0.0.1:9093', timeout: '3s', instance: 'web-1' } } });
    expect(config.alert.alertmanager).toEqual({ url: 'http://127.0.0.1:9093', timeoutMs: 3000, instance: 'web-1' });
  });
});
