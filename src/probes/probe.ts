// One probe of the service, of the kind its URL names: http(s):// requests, tcp:// and tls:// connections.
import { probeKindOf } from '../core/conditions/probe-kind.js';
import type { Condition } from '../core/conditions/types.js';
import type { Clock } from '../effects/clock.js';
import type { HttpGet } from '../effects/http-client.js';
import type { TcpConnect } from '../effects/tcp-client.js';
import { probeHealth, type HealthProbeOptions, type ProbeResult } from './health.js';
import { probeTcp } from './tcp.js';

/** Everything any kind of probe needs. */
export interface ServiceProbeOptions extends HealthProbeOptions {
  conditions: readonly Condition[];
  send: string;
  expect: string;
}

/** Probes once with the probe the URL's scheme names. */
export function probeService(opts: ServiceProbeOptions, deps: { http: HttpGet; tcp: TcpConnect; clock: Pick<Clock, 'monoMs' | 'nowMs'> }): Promise<ProbeResult> {
  return probeKindOf(opts.url) === 'http' ? probeHealth(opts, deps) : probeTcp(opts, deps);
}
