// Which records page someone (their dedup key), and the queue that sends them: deduplicated within a cycle
// and by alert.repeat, an alert_sent record naming the channels that sent. Providers here are plain
// objects with the provider interface, recording what they were sent.
import { describe, expect, it } from 'vitest';
import { emptyLive } from '../core/history-forward.js';
import type { GuardRecord } from '../log/records.js';
import type { AlertChannel, AlertEvent, AlertProvider } from './provider.js';
import { alertKey, alertQueue } from './record-alerts.js';

const rec = (r: Record<string, unknown>): GuardRecord => ({ ts: '2025-10-21T08:35:00.000000Z', ...r }) as unknown as GuardRecord;

describe('alertKey', () => {
  it.each([
    ['a trigger, by finding kind', { event: 'anomaly_trigger', reasons: ['health_unhealthy (HTTP 503)', 'latency_anomaly_3sigma (812.4ms)'] }, 'anomaly_trigger:unhealthy,latency'],
    ['a warning', { event: 'resource_warning', reasons: ['disk_warning (93.2%)'] }, 'resource_warning:disk'],
    ['a heal held back by the rate limit', { event: 'heal_suppressed', why: 'rate_limit' }, 'heal_suppressed:rate_limit'],
    ['a heal held back by grace (quiet)', { event: 'heal_suppressed', why: 'grace' }, null],
    ['a failed heal', { event: 'self_heal', exit_code: 1, timed_out: false }, 'self_heal:failed'],
    ['a heal that worked (quiet)', { event: 'self_heal', exit_code: 0, timed_out: false }, null],
    ['a heal that did not recover', { event: 'heal_verify', recovered: false }, 'heal_verify:failed'],
    ['a recovery', { event: 'recovered' }, 'recovered'],
    ['a check (quiet)', { event: 'check' }, null],
  ])('%s → %s', (_name, record, key) => {
    expect(alertKey(rec(record))).toBe(key);
  });
});

// A provider carrying records (command, webhook) or cycle ends (alertmanager), as the real ones do.
function provider(channel: AlertChannel, ok: boolean, sent: AlertEvent[]): AlertProvider {
  const carries = channel === 'alertmanager' ? 'cycle_end' : 'record';
  return {
    channel,
    configured: () => true,
    send: async (event) => {
      if (event.kind !== carries) return null;
      sent.push(event);
      return { channel, ok, detail: ok ? null : `${channel} down` };
    },
  };
}

function queue(opts: { repeatMs: number; alertsSent?: Record<string, number>; webhookOk?: boolean }) {
  const sent: AlertEvent[] = [];
  const emitted: GuardRecord[] = [];
  const warnings: string[] = [];
  const history = { ...emptyLive().history, alertsSent: opts.alertsSent ?? {} };
  const providers = [provider('command', true, sent), provider('webhook', opts.webhookOk ?? true, sent), provider('alertmanager', true, sent)];
  const q = alertQueue({ providers, repeatMs: opts.repeatMs, history, nowMs: () => 10_000_000, emit: (r) => emitted.push(r), warn: (l) => warnings.push(l), signal: new AbortController().signal });
  return { q, sent, emitted, warnings };
}

describe('alertQueue', () => {
  const trigger = rec({ event: 'anomaly_trigger', reasons: ['health_unhealthy (HTTP 503)'] });

  it('sends a record once per cycle to the channels that carry it, and records alert_sent', async () => {
    const t = queue({ repeatMs: 0, webhookOk: false });
    t.q.offer(trigger);
    t.q.offer(trigger);
    t.q.offer(rec({ event: 'check' }));
    await t.q.settle();
    expect(t.sent).toHaveLength(2);
    expect(t.emitted).toEqual([{ event: 'alert_sent', ts: expect.any(String), key: 'anomaly_trigger:unhealthy', channels: ['command', 'webhook'], ok: false }]);
    expect(t.warnings).toEqual(['alert webhook failed for anomaly_trigger: webhook down']);
  });

  it.each([
    ['sent within alert.repeat: held back', 9_000_000, 0],
    ['sent longer ago than alert.repeat: sent again', 6_000_000, 2],
  ])('%s', async (_name, lastSent, sends) => {
    const t = queue({ repeatMs: 3_600_000, alertsSent: { 'anomaly_trigger:unhealthy': lastSent } });
    t.q.offer(trigger);
    t.q.offer(rec({ event: 'recovered' })); // never deduplicated
    await t.q.settle();
    expect(t.sent).toHaveLength(sends + 2);
  });
});
