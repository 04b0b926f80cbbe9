// The decision as a table: one row per situation, from a cycle's rounded figures and what the log remembers
// to the findings, what passes the gate (heal, alert, held back, graced), the records' events and the exit
// status, under the real defaults of profile safe and profile seed (read through the config's own parser).
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/load.js';
import { emptyLive } from '../history-forward.js';
import type { History } from '../history.js';
import { healVerdict } from '../heal-policy.js';
import { decideCycle } from './assess.js';
import type { CycleFigures } from './findings.js';
import { gateRecords } from './records.js';
import { exitStatus, STATUS_WORDS } from './status.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const MIN = 60_000;
const policyOf = (raw: Record<string, unknown>) => validateConfig(raw, { file: null, baseDir: '/tmp' }).config;
const SAFE = policyOf({ profile: 'safe' });
const SEED = policyOf({ profile: 'seed' });
/** latency.confirm is 1 of 1 in both profiles (safe re-probes instead): 2 of 3 set by hand. */
const SAFE_2OF3 = policyOf({ profile: 'safe', latency: { confirm: 2, confirm_of: 3 } });
const CALM: CycleFigures = { ok: true, detail: null, latency: null, cpu: 42.3, mem: 31.5, disk: 64.8 };
const SLOW = 'latency_anomaly_3sigma (score=5.20)';
const history = (h: Partial<History> = {}): History => ({ ...emptyLive().history, ...h });

type Row = {
  name: string;
  policy: typeof SAFE;
  figures?: Partial<CycleFigures>;
  h?: Partial<History>;
  findings: string[];
  heal?: string[];
  alert?: string[];
  /** Events of the records after the check record. */
  events?: string[];
  status: 0 | 1 | 2;
};

const rows: Row[] = [
  { name: 'seed: a calm cycle', policy: SEED, findings: [], events: [], status: 0 },
  { name: 'seed: unhealthy heals at once', policy: SEED, figures: { ok: false, detail: 'HTTP 503' }, findings: ['health_unhealthy (HTTP 503)'], heal: ['health_unhealthy (HTTP 503)'], events: ['anomaly_trigger'], status: 2 },
  { name: 'seed: one slow sample heals', policy: SEED, figures: { latency: SLOW }, findings: [SLOW], heal: [SLOW], events: ['anomaly_trigger'], status: 2 },
  { name: 'seed: host cpu heals', policy: SEED, figures: { cpu: 92.1 }, findings: ['cpu_critical (92.1%)'], heal: ['cpu_critical (92.1%)'], events: ['anomaly_trigger'], status: 2 },
  { name: 'seed: disk only alerts', policy: SEED, figures: { disk: 93.2 }, findings: ['disk_warning (93.2%)'], alert: ['disk_warning (93.2%)'], events: ['resource_warning'], status: 1 },
  { name: 'seed: a slow sample on a busy host still heals', policy: SEED, figures: { latency: SLOW, cpu: 95 }, findings: [SLOW, 'cpu_critical (95.0%)'], heal: [SLOW, 'cpu_critical (95.0%)'], events: ['anomaly_trigger'], status: 2 },
  { name: 'seed: no grace after a heal', policy: SEED, figures: { ok: false, detail: 'connection refused' }, h: { healTimes: [NOW - 10_000] }, findings: ['health_unhealthy (connection refused)'], heal: ['health_unhealthy (connection refused)'], events: ['anomaly_trigger'], status: 2 },
  { name: 'safe: unhealthy heals at once (health.confirm re-probed it)', policy: SAFE, figures: { ok: false, detail: 'HTTP 503' }, findings: ['health_unhealthy (HTTP 503)'], heal: ['health_unhealthy (HTTP 503)'], events: ['anomaly_trigger'], status: 2 },
  { name: 'latency 2 of 3: a first slow cycle is held back', policy: SAFE_2OF3, figures: { latency: SLOW }, findings: [SLOW], events: ['heal_suppressed'], status: 1 },
  { name: 'latency 2 of 3: a second slow cycle of three heals', policy: SAFE_2OF3, figures: { latency: SLOW }, h: { recentReasons: [[], ['latency_anomaly_3sigma (score=4.10)']] }, findings: [SLOW], heal: [SLOW], events: ['anomaly_trigger'], status: 2 },
  { name: 'latency 2 of 3: a slow cycle three cycles back no longer counts', policy: SAFE_2OF3, figures: { latency: SLOW }, h: { recentReasons: [[], [], ['latency_anomaly_3sigma (score=4.10)']] }, findings: [SLOW], events: ['heal_suppressed'], status: 1 },
  { name: 'safe: host cpu alerts, confirmed 2 of 3', policy: SAFE, figures: { cpu: 95 }, h: { recentReasons: [['cpu_critical (94.0%)']] }, findings: ['cpu_critical (95.0%)'], alert: ['cpu_critical (95.0%)'], events: ['resource_warning'], status: 1 },
  { name: 'safe: an unconfirmed cpu alert is dropped, not held', policy: SAFE, figures: { cpu: 95 }, findings: ['cpu_critical (95.0%)'], events: [], status: 0 },
  { name: 'safe: a slow sample on a busy host alerts instead of healing', policy: SAFE, figures: { latency: SLOW, mem: 95 }, h: { recentReasons: [['mem_critical (95.0%)']] }, findings: [SLOW, 'mem_critical (95.0%)'], alert: ['mem_critical (95.0%)', SLOW], events: ['resource_warning'], status: 1 },
  { name: "safe: the service's own cpu (resources.service) is named", policy: SAFE, figures: { service: { name: 'web.service', cpu: 97, mem: 10 } }, h: { recentReasons: [['cpu_critical (96.0%, web.service)']] }, findings: ['cpu_critical (97.0%, web.service)'], alert: ['cpu_critical (97.0%, web.service)'], events: ['resource_warning'], status: 1 },
  { name: 'safe: unhealthy within heal.grace is graced', policy: SAFE, figures: { ok: false, detail: 'connection refused' }, h: { healTimes: [NOW - 10_000] }, findings: ['health_unhealthy (connection refused)'], events: ['heal_suppressed'], status: 1 },
  { name: 'safe: unhealthy after heal.grace heals', policy: SAFE, figures: { ok: false, detail: 'connection refused' }, h: { healTimes: [NOW - 31_000] }, findings: ['health_unhealthy (connection refused)'], heal: ['health_unhealthy (connection refused)'], events: ['anomaly_trigger'], status: 2 },
  { name: 'safe: calm after an incident recovers it', policy: SAFE, h: { incident: { startTs: NOW - 5 * MIN, reasons: ['health_unhealthy (HTTP 503)'], triggered: true } }, findings: [], events: ['recovered'], status: 0 },
  { name: 'safe: calm long after a latched budget releases it', policy: SAFE, h: { exhausted: { ts: NOW - 2 * 3_600_000, latched: true }, triggerTimes: [NOW - 2 * 3_600_000] }, findings: [], events: ['heal_resumed'], status: 0 },
  { name: 'safe: a finding keeps the latch', policy: SAFE, figures: { ok: false, detail: 'HTTP 503' }, h: { exhausted: { ts: NOW - 2 * 3_600_000, latched: true } }, findings: ['health_unhealthy (HTTP 503)'], heal: ['health_unhealthy (HTTP 503)'], events: ['anomaly_trigger'], status: 2 },
  { name: 'actions: a log-action finding leaves the status 0', policy: policyOf({ profile: 'seed', actions: { disk: 'log' } }), figures: { disk: 99 }, findings: ['disk_warning (99.0%)'], events: [], status: 0 },
  { name: 'actions: an alert-action unhealthy is a warning', policy: policyOf({ profile: 'seed', actions: { unhealthy: 'alert' } }), figures: { ok: false, detail: 'HTTP 500' }, findings: ['health_unhealthy (HTTP 500)'], alert: ['health_unhealthy (HTTP 500)'], events: ['resource_warning'], status: 1 },
  { name: 'every finding at once, in table order', policy: SEED, figures: { ok: false, detail: 'timeout after 300 ms', cpu: 99, mem: 99, disk: 99 }, findings: ['health_unhealthy (timeout after 300 ms)', 'cpu_critical (99.0%)', 'mem_critical (99.0%)', 'disk_warning (99.0%)'], heal: ['health_unhealthy (timeout after 300 ms)', 'cpu_critical (99.0%)', 'mem_critical (99.0%)'], alert: ['disk_warning (99.0%)'], events: ['anomaly_trigger', 'resource_warning'], status: 2 },
];

describe('the decision table: figures and history → findings, gate, records, exit status', () => {
  it.each(rows.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const d = decideCycle({ ...CALM, ...r.figures }, history(r.h), r.policy, NOW);
    expect(d.findings.map((f) => f.reason)).toEqual(r.findings);
    expect(d.gate.heal.map((f) => f.reason)).toEqual(r.heal ?? []);
    expect(d.gate.alert.map((f) => f.reason)).toEqual(r.alert ?? []);
    const trigger = d.gate.heal.length > 0 ? ({ event: 'anomaly_trigger' } as never) : null;
    const warning = d.gate.alert.length > 0 ? ({ event: 'resource_warning' } as never) : null;
    if (r.events) expect(gateRecords(d.gate, 'ts', NOW, trigger, warning).map((x) => (x as { event?: string }).event)).toEqual(r.events);
    expect(d.status).toBe(r.status);
  });

  it('holds back with the count it saw, and graces with the time since the heal', () => {
    const held = decideCycle({ ...CALM, latency: SLOW }, history(), SAFE_2OF3, NOW);
    expect(gateRecords(held.gate, 'ts', NOW, null, null)).toEqual([{ event: 'heal_suppressed', ts: 'ts', why: 'unconfirmed', detail: `${SLOW}: seen in 1 of the last 3 cycles, 2 needed` }]);
    const graced = decideCycle({ ...CALM, ok: false, detail: 'HTTP 503' }, history({ healTimes: [NOW - 12_000] }), SAFE, NOW);
    expect(gateRecords(graced.gate, 'ts', NOW, null, null)[0]).toMatchObject({ why: 'grace', detail: 'health_unhealthy (HTTP 503): within heal.grace, 12s after the last heal' });
  });
});

describe('a trigger and the heal budget: the status is 2 whether or not the heal runs', () => {
  const budgetOf = (c: typeof SAFE) => ({ hasCommand: true, cooldownMs: c.heal.cooldownMs, maxPerHour: c.heal.maxPerHour, backoff: c.heal.backoff ? { maxCycles: c.heal.backoffMax, resetMs: c.heal.backoffResetMs } : null });
  const heals = (...minAgo: number[]) => minAgo.map((m) => NOW - m * MIN);
  const COOL = policyOf({ profile: 'seed', heal: { cooldown: '5m' } });
  it.each<[string, typeof SAFE, Partial<History>, string | null]>([
    ['seed: no earlier heal runs', SEED, { healTimes: [] }, null],
    ['heal.cooldown 5m: inside it', COOL, { healTimes: heals(2) }, 'cooldown'],
    ['heal.cooldown 5m: after it', COOL, { healTimes: heals(6) }, null],
    ['seed: max_per_hour (6) spent', SEED, { healTimes: heals(50, 40, 30, 20, 10, 1) }, 'rate_limit'],
    ['seed: heals older than an hour do not count', SEED, { healTimes: heals(61, 50, 40, 30, 20, 10) }, null],
    ['safe: a third heal of one incident waits 2 cycles (backoff)', SAFE, { healTimes: heals(6, 12), triggerTimes: heals(6, 7, 12, 13), checksSinceHeal: 0 }, 'backoff'],
    ['safe: the backoff wait is over', SAFE, { healTimes: heals(6, 12), triggerTimes: heals(6, 7, 12, 13), checksSinceHeal: 1 }, null],
    ['seed: no backoff', SEED, { healTimes: heals(6, 12), triggerTimes: heals(6, 7, 12, 13), checksSinceHeal: 0 }, null],
    ['safe: a latched budget stays off', SAFE, { healTimes: heals(50), exhausted: { ts: NOW - MIN, latched: true } }, 'exhausted'],
  ])('%s', (_name, policy, state, why) => {
    const d = decideCycle({ ...CALM, ok: false, detail: 'HTTP 503' }, history(state), policy, NOW);
    expect(d.status).toBe(2);
    const v = healVerdict(budgetOf(policy), { healTimes: [], ...state }, NOW);
    expect(v.run ? null : v.why).toBe(why);
  });
});

describe('the exit status', () => {
  it('is 3 UNKNOWN when the cycle could not decide (cycle_timeout), with the plugin words', () => {
    expect(exitStatus(null)).toBe(3);
    expect([0, 1, 2, 3].map((s) => STATUS_WORDS[s as 0])).toEqual(['OK', 'WARNING', 'CRITICAL', 'UNKNOWN']);
  });
});
