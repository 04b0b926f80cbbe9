// Judging probe outcomes: conditions with their actual values in the reason (Gatus's semantics where our
// documentation says so), the seed's default rule with the contract's details, and bodies built to hurt.
import { describe, expect, it } from 'vitest';
import { judgeOutcome } from './judge.js';
import { parseCondition } from './parse.js';
import type { Condition, ProbeOutcome } from './types.js';

const NOW = Date.parse('2026-12-04T13:37:12Z');
const DAY = 86_400_000;

function cond(text: string): Condition {
  const r = parseCondition(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.condition;
}

function http(status: number, body: string | Buffer, over: Partial<ProbeOutcome> = {}): ProbeOutcome {
  return { kind: 'http', status, body: Buffer.isBuffer(body) ? body : Buffer.from(body), latencyMs: 12.7, ip: '127.0.0.1', certValidToMs: null, ...over };
}

const judge = (outcome: ProbeOutcome, ...conditions: string[]): string | null =>
  judgeOutcome(outcome, { conditions: conditions.map(cond), expectStatus: 'Healthy' }, NOW);

describe('conditions: what holds and how a failure reads', () => {
  const cases: [name: string, outcome: ProbeOutcome, condition: string, detail: string | null][] = [
    ['status equal', http(200, ''), '[STATUS] == 200', null],
    ['status differs', http(404, ''), '[STATUS] == 200', '[STATUS] (404) == 200'],
    ['status below', http(201, ''), '[STATUS] < 300', null],
    ['status any', http(429, ''), '[STATUS] == any(200, 429)', null],
    ['status not any', http(500, ''), '[STATUS] == any(200, 429)', '[STATUS] (500) == any(200, 429)'],
    ['etcd: "true" is true', http(200, '{"health":"true"}'), '[BODY].health == true', null],
    ['etcd: true is true', http(200, '{"health":true}'), '[BODY].health == true', null],
    ['etcd: "false"', http(200, '{"health":"false","reason":"RAFT NO LEADER"}'), '[BODY].health == true', '[BODY].health (false) == true'],
    ['nested path', http(200, '{"components":{"db":{"status":"DOWN"}}}'), '[BODY].components.db.status == UP', '[BODY].components.db.status (DOWN) == UP'],
    ['missing field fails ==', http(200, '{"status":"UP"}'), '[BODY].components.db.status == UP', '[BODY].components.db.status (no such field) == UP'],
    ['missing field fails != too', http(200, '{}'), '[BODY].error != fatal', '[BODY].error (no such field) != fatal'],
    ['body not JSON', http(200, '<html>'), '[BODY].status == UP', '[BODY].status (body is not JSON) == UP'],
    ['array index', http(200, '{"nodes":[{"up":1},{"up":0}]}'), '[BODY].nodes[1].up == 1', '[BODY].nodes[1].up (0) == 1'],
    ['root array', http(200, '[{"id":7}]'), '[BODY][0].id == 7', null],
    ['numbers equal as numbers', http(200, '{"v":1.50}'), '[BODY].v == 1.5', null],
    ['null is null', http(200, '{"v":null}'), '[BODY].v == null', null],
    ['whole body, trimmed', http(200, 'ok\n'), '[BODY] == ok', null],
    ['whole body differs, one line', http(200, 'not\nready\n'), '[BODY] == ok', '[BODY] (not ready) == ok'],
    ['pattern', http(200, 'Prometheus Server is Healthy.\n'), '[BODY] == pat(*Healthy*)', null],
    ['pattern across lines and slashes', http(200, '<html>\n<h1>Example Domain</h1>\n</html>'), '[BODY] == pat(*<h1>Example Domain</h1>*)', null],
    ['pattern fails', http(200, 'Service Unavailable'), '[BODY] == pat(*Healthy*)', '[BODY] (Service Unavailable) == pat(*Healthy*)'],
    ['len of a list', http(200, '{"items":[1,2,3]}'), 'len([BODY].items) == 3', null],
    ['len of a string', http(200, '{"name":"john"}'), 'len([BODY].name) < 4', 'len([BODY].name) (4) < 4'],
    ['has, present', http(200, '{"errors":[]}'), 'has([BODY].errors) == true', null],
    ['has, absent', http(200, '{}'), 'has([BODY].errors) == false', null],
    ['has, absent but wanted', http(200, '{}'), 'has([BODY].commit) == true', 'has([BODY].commit) (false) == true'],
    ['response time, whole ms', http(200, '', { latencyMs: 212.9 }), '[RESPONSE_TIME] < 50', '[RESPONSE_TIME] (212) < 50'],
    ['response time as a duration', http(200, '', { latencyMs: 212.9 }), '[RESPONSE_TIME] < 1s', null],
    ['ip', http(200, ''), '[IP] == 127.0.0.1', null],
    ['ip pattern', http(200, ''), '[IP] == pat(10.*)', '[IP] (127.0.0.1) == pat(10.*)'],
    ['connected', http(200, ''), '[CONNECTED] == true', null],
    ['certificate far off', http(200, '', { certValidToMs: NOW + 30 * DAY }), '[CERTIFICATE_EXPIRATION] > 7d', null],
    ['certificate soon', http(200, '', { certValidToMs: NOW + DAY - 60_000 }), '[CERTIFICATE_EXPIRATION] > 168h', '[CERTIFICATE_EXPIRATION] (23h59m) > 168h'],
    ['no certificate', http(200, ''), '[CERTIFICATE_EXPIRATION] > 48h', '[CERTIFICATE_EXPIRATION] (no certificate) > 48h'],
    ['text where a number is needed', http(200, '{"load":"high"}'), '[BODY].load < 5', '[BODY].load (high) < 5'],
    ['two placeholders', http(200, '{"a":2,"b":2}'), '[BODY].a == [BODY].b', null],
    ['hostile value cannot break the line', http(200, '{"s":"Bad\\r\\n{\\"ts\\":1}\\u2028"}'), '[BODY].s == ok', '[BODY].s (Bad {"ts":1} ) == ok'],
  ];
  it.each(cases)('%s', (_name, outcome, condition, detail) => {
    expect(judge(outcome, condition)).toBe(detail);
  });

  it('lists every failed condition, and what a non-2xx body says', () => {
    const body = '{"status":"failed","reason":"There are alarms in effect in the cluster","alarms":[{"type":"file_descriptor_limit"}]}';
    expect(judge(http(503, body), '[STATUS] == 200', '[BODY].status == ok')).toBe(
      '[STATUS] (503) == 200; [BODY].status (failed) == ok; HTTP 503: There are alarms in effect in the cluster',
    );
  });

  it('leaves the excerpt out when a failed condition already shows the whole body', () => {
    expect(judge(http(500, 'not ready\n'), '[STATUS] == 200', '[BODY] == ok')).toBe('[STATUS] (500) == 200; [BODY] (not ready) == ok');
  });

  it('a tcp outcome without conditions is healthy (connected is the default)', () => {
    expect(judgeOutcome({ kind: 'tcp', status: null, body: Buffer.alloc(0), latencyMs: 1, ip: '127.0.0.1', certValidToMs: null }, { conditions: [], expectStatus: 'x' }, NOW)).toBeNull();
  });
});

describe('the seed rule (no conditions): the contract details', () => {
  const cases: [name: string, outcome: ProbeOutcome, detail: string | null][] = [
    ['healthy', http(200, '{"status":"Healthy"}'), null],
    ['degraded', http(200, '{"status":"Degraded"}'), 'status=Degraded'],
    ['503, empty', http(503, ''), 'HTTP 503'],
    ['503, RabbitMQ reason', http(503, '{"status":"failed","reason":"There are alarms in effect in the cluster"}'), 'HTTP 503: There are alarms in effect in the cluster'],
    ['500, message', http(500, '{"message":"database unreachable"}'), 'HTTP 500: database unreachable'],
    ['503, error object', http(503, '{"error":{"type":"x","reason":"all shards failed"},"status":503}'), 'HTTP 503: all shards failed'],
    ['502, html title', http(502, '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body></body></html>'), 'HTTP 502: 502 Bad Gateway'],
    ['503, text first line', http(503, 'Service Unavailable\nretry later'), 'HTTP 503: Service Unavailable'],
    ['503, long text cut to 100', http(503, 'x'.repeat(500)), `HTTP 503: ${'x'.repeat(99)}…`],
    ['503, JSON that explains nothing (its raw text is no excerpt)', http(503, '{"status":"Unavailable"}'), 'HTTP 503'],
    ['503, hostile text', http(503, '{"reason":"a\\u0000b\\u001b[31mc\\r\\nd"}'), 'HTTP 503: a?b?[31mc d'],
    ['not JSON', http(200, '<html>'), 'body is not JSON'],
    ['empty', http(204, ''), 'empty body (expected JSON with a status field)'],
    ['no status', http(200, '{"ok":true}'), 'no status field in body'],
    ['status not a string', http(200, '{"status":42}'), 'status is not a string: 42'],
  ];
  it.each(cases)('%s', (_name, outcome, detail) => {
    expect(judgeOutcome(outcome, { conditions: [], expectStatus: 'Healthy' }, NOW)).toBe(detail);
  });
});

describe('bodies nested 5,000 and 500,000 levels deep', () => {
  const deep = (n: number, inner: string): string => `{"a":${'['.repeat(n)}${inner}${']'.repeat(n)}}`;

  it('judges a deep status without overflowing the stack (seed rule)', () => {
    const detail = judgeOutcome(http(200, `{"status":${'['.repeat(5000)}${']'.repeat(5000)}}`), { conditions: [], expectStatus: 'Healthy' }, NOW);
    expect(detail).toBe(`status is not a string: ${'['.repeat(39)}…`);
  });

  it('renders, measures and tests a deep value (conditions)', () => {
    for (const n of [5000, 500_000]) {
      const outcome = http(200, deep(n, '1'));
      expect(judge(outcome, '[BODY].a == x')).toBe(`[BODY].a (${'['.repeat(59)}…) == x`);
      expect(judge(outcome, 'len([BODY].a) == 1', 'has([BODY].a) == true', '[BODY].a[0][0][0] != x')).toBeNull();
      expect(judge(outcome, '[BODY] == pat(*1*)')).toBeNull();
    }
  });
});
