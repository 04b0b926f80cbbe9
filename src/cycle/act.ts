// The acting half of a cycle: the heal (budget, lock, run, verify) and the alerts.
import { runAlertCommand } from '../alert/alert-command.js';
import { postWebhook } from '../alert/webhook.js';
import type { GuardConfig } from '../config/config.js';
import { formatTs, roundMs } from '../core/format.js';
import { healVerdict } from '../core/heal-policy.js';
import { runHeal } from '../heal/run-heal.js';
import type { AnomalyTriggerRecord, GuardRecord, HealSuppressedRecord, HealVerifyRecord, SelfHealRecord } from '../log/records.js';
import type { CycleDeps } from './deps.js';
import { probeOnce } from './measure.js';

/** What the heal step did. */
export type HealOutcome =
  | { kind: 'ran'; heal: SelfHealRecord; verify: HealVerifyRecord | null }
  | { kind: 'suppressed'; record: HealSuppressedRecord };

/** Runs the heal when the budget and the lock allow, appending each record as it happens. */
export async function healStep(
  config: GuardConfig,
  deps: CycleDeps,
  trigger: AnomalyTriggerRecord,
  healTimes: readonly number[],
  emit: (record: GuardRecord) => void,
  signal: AbortSignal,
): Promise<HealOutcome> {
  const budget = { hasCommand: config.heal.command.length > 0, cooldownMs: config.heal.cooldownMs, maxPerHour: config.heal.maxPerHour };
  const verdict = healVerdict(budget, healTimes, deps.clock.nowMs());
  if (!verdict.run) return suppress(deps, emit, verdict.why, verdict.detail);
  const lock = deps.lockHeal();
  if (!lock.acquired) return suppress(deps, emit, 'in_progress', `another heal holds ${lock.path} (pid ${lock.pid ?? 'unknown'})`);
  try {
    const heal = await runHeal(
      trigger,
      { command: config.heal.command, timeoutMs: config.heal.timeoutMs, killGraceMs: config.heal.killGraceMs, cwd: config.baseDir, signal },
      { runner: deps.runner, clock: deps.clock },
    );
    emit(heal);
    const verify = config.heal.verifyAfterMs > 0 ? await verifyStep(config, deps, signal) : null;
    if (verify) emit(verify);
    return { kind: 'ran', heal, verify };
  } finally {
    lock.release();
  }
}

function suppress(deps: CycleDeps, emit: (r: GuardRecord) => void, why: HealSuppressedRecord['why'], detail: string): HealOutcome {
  const record: HealSuppressedRecord = { event: 'heal_suppressed', ts: formatTs(deps.clock.nowMs()), why, detail };
  emit(record);
  return { kind: 'suppressed', record };
}

async function verifyStep(config: GuardConfig, deps: CycleDeps, signal: AbortSignal): Promise<HealVerifyRecord> {
  await deps.clock.sleep(config.heal.verifyAfterMs, signal);
  const probe = await probeOnce(config, deps, signal);
  return {
    event: 'heal_verify',
    ts: formatTs(deps.clock.nowMs()),
    recovered: probe.ok,
    latency_ms: roundMs(probe.latencyMs),
    ...(probe.ok ? {} : { error: probe.detail }),
  };
}

/** Sends a record to alert.command and alert.webhook; a failure is reported through deps.warn, never thrown. */
export async function sendAlerts(config: GuardConfig, deps: CycleDeps, record: GuardRecord, signal: AbortSignal): Promise<void> {
  const jobs: Promise<void>[] = [];
  const report = (r: { ok: boolean; detail: string | null; channel: string }): void => {
    if (!r.ok) deps.warn(`alert ${r.channel} failed for ${(record as { event?: string }).event ?? 'record'}: ${r.detail ?? 'unknown error'}`);
  };
  if (config.alert.command.length > 0) {
    jobs.push(runAlertCommand(record, { command: config.alert.command, timeoutMs: config.alert.timeoutMs, signal }, { runner: deps.runner }).then(report));
  }
  if (config.alert.webhook !== '') {
    jobs.push(postWebhook(record, { url: config.alert.webhook, timeoutMs: config.alert.timeoutMs, signal }, { sleep: deps.clock.sleep }).then(report));
  }
  await Promise.all(jobs.map((j) => j.catch((err: unknown) => deps.warn(`alert failed: ${(err as Error).message}`))));
}
