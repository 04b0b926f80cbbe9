// The one-screen human summary of a cycle: health, latency against its baseline, resources against
// their thresholds, and what was done.
import type { GuardConfig } from '../config/config.js';
import { redactUrlText } from '../config/fields.js';
import { STATUS_WORDS } from '../core/decide.js';
import { plainNumber } from '../core/findings.js';
import type { HealOutcome } from '../cycle/act.js';
import type { CycleResult } from '../cycle/check-cycle.js';

// The label column: 9 wide, and at least two spaces after a longer label (`recovered`).
const pad = (label: string): string => `${label}  `.padEnd(9);

function pct(value: number | null, limit: number, word: string): string {
  if (value === null) return 'n/a (could not be read)';
  const mark = value > limit ? `  ← over ${plainNumber(limit)} %` : '';
  return `${value.toFixed(1).padStart(5)} %   (${word} above ${plainNumber(limit)} %)${mark}`;
}

function latencyLine(config: GuardConfig, r: CycleResult): string {
  const a = r.assessment;
  if (!a) return 'n/a';
  const lat = `${a.check.lat.latency_ms.toFixed(1)} ms`;
  const n = a.baseline.n;
  if (!a.check.lat.ok) return `${lat}   no score: the probe failed`;
  if (a.check.score === null || a.check.mean === null || a.check.stdev === null) {
    return `${lat}   no score yet: baseline has ${n} of ${config.latency.minSamples} samples needed`;
  }
  const limit = `limit ${plainNumber(config.latency.sigma)}`;
  return `${lat}   baseline ${a.check.mean.toFixed(1)} ± ${a.check.stdev.toFixed(1)} ms over ${n}   z=${a.check.score.toFixed(2)} (${limit})`;
}

function healLine(h: HealOutcome | null): string | null {
  if (h === null) return null;
  if (h.kind === 'suppressed') return `suppressed (${h.record.why}): ${h.record.detail ?? ''}`;
  const s = h.heal;
  const how = s.error ? s.error : s.timed_out ? `timed out after ${(s.duration_ms / 1000).toFixed(1)} s` : s.signal ? `killed by ${s.signal}` : `exit ${s.exit_code}`;
  const verify = h.verify === null ? '' : `; verify: ${h.verify.recovered ? 'recovered' : `still failing (${h.verify.error ?? 'unhealthy'})`}`;
  return `ran ${JSON.stringify(s.command)}: ${how} in ${(s.duration_ms / 1000).toFixed(2)} s${verify}`;
}

/** Renders a cycle result for a terminal. */
export function renderCycle(config: GuardConfig, r: CycleResult): string {
  const lines = [`${STATUS_WORDS[r.status]}  ${r.assessment?.check.ts ?? ''}  ${redactUrlText(config.health.url)}`];
  if (r.assessment) {
    const c = r.assessment.check;
    const health = c.lat.ok ? `ok (HTTP ${c.lat.http_status ?? '?'}, status=${config.health.expectStatus})` : `UNHEALTHY: ${c.lat.error ?? 'unknown'}`;
    lines.push(`${pad('health')}${health}`, `${pad('latency')}${latencyLine(config, r)}`);
    const res = config.resources;
    lines.push(`${pad('cpu')}${pct(c.res.cpu, res.cpuCritical, 'critical')}`);
    lines.push(`${pad('mem')}${pct(c.res.mem, res.memCritical, 'critical')}`);
    lines.push(`${pad('disk')}${pct(c.res.disk, res.diskWarning, 'warning')}`);
    const d = r.assessment.decision;
    const found = [...d.heal.map((f) => `${f.reason} → heal`), ...d.alert.map((f) => `${f.reason} → alert`), ...d.log.map((f) => `${f.reason} → log`)];
    lines.push(`${pad('verdict')}${found.length === 0 ? 'all within thresholds; nothing to do' : found.join('; ')}`);
    const g = r.assessment.gate;
    for (const p of g.pending) lines.push(`${pad('held')}${p.finding.reason}: seen ${p.seen} of the last ${p.of} cycles, ${p.need} needed before it acts`);
    if (g.graced) lines.push(`${pad('held')}within heal.grace after the last heal: ${g.graced.findings.map((f) => f.reason).join('; ')}`);
    if (g.recovered) lines.push(`${pad('recovered')}${g.recovered.reasons.join('; ')} cleared`);
  }
  const heal = healLine(r.heal);
  if (heal) lines.push(`${pad('heal')}${heal}`);
  if (r.timedOut) lines.push(`${pad('timeout')}cycle aborted after ${config.cycleTimeoutMs} ms (cycle_timeout)`);
  lines.push(`${pad('log')}${config.logFile} (+${r.records.length} record${r.records.length === 1 ? '' : 's'})`);
  return lines.join('\n');
}
