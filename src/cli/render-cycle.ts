// The one-screen human summary of a cycle: the monitoring-plugin line, then health, latency against its
// baseline, resources against their thresholds, and what was done.
import type { GuardConfig } from '../config/config.js';
import { redactUrlText } from '../config/fields.js';
import { probeKindOf } from '../core/conditions/probe-kind.js';
import { plainNumber } from '../core/format.js';
import type { HealOutcome } from '../heal/heal-step.js';
import type { CycleResult } from '../cycle/check-cycle.js';
import { pluginLine } from './plugin-output.js';

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
  return `${lat}   baseline ${a.check.mean.toFixed(1)} ± ${a.check.stdev.toFixed(1)} ms over ${n}   z=${a.check.score.toFixed(2)} (${limit})${reprobeNote(r)}`;
}

// What the quick re-probes of an anomalous latency showed: a blip they disproved, or a slowdown they confirmed.
function reprobeNote(r: CycleResult): string {
  const probes = r.assessment?.check.lat.reprobes ?? [];
  if (probes.length === 0) return '';
  const seen = probes.map((p) => (p.ok ? `${p.latency_ms.toFixed(1)} ms` : 'failed')).join(', ');
  return r.assessment?.dismissed ? `\n${pad('')}a blip: re-probed ${seen}, back within the baseline; not acted on` : `\n${pad('')}confirmed: re-probed ${seen}, still slow`;
}

function cpuSpan(config: GuardConfig, r: CycleResult): string {
  const span = r.assessment?.check.res.cpu_span_ms;
  if (span === undefined || config.resources.cpuOver !== 'interval') return '';
  return span === config.resources.cpuSampleMs ? '   over cpu_sample (no recent previous check)' : `   over the ${(span / 1000).toFixed(0)} s since the previous check`;
}

function healLine(h: HealOutcome | null): string | null {
  if (h === null) return null;
  if (h.kind === 'suppressed') return `suppressed (${h.record.why}): ${h.record.detail ?? ''}`;
  const s = h.heal;
  const how = s.error ? s.error : s.timed_out ? `timed out after ${(s.duration_ms / 1000).toFixed(1)} s` : s.signal ? `killed by ${s.signal}` : `exit ${s.exit_code}`;
  const v = h.verify;
  const verify = v === null ? (h.verifySkipped ? `; verify skipped: ${h.verifySkipped}` : '') : `; verify: ${v.recovered ? 'recovered' : `not recovered (${(v.remaining ?? [v.error ?? 'unhealthy']).join('; ')})`}`;
  return `ran ${JSON.stringify(s.command)}: ${how} in ${(s.duration_ms / 1000).toFixed(2)} s${verify}`;
}

// What a passed probe showed: the HTTP status and the seed's status, or the conditions that held.
function healthOk(config: GuardConfig, httpStatus: number | null | undefined): string {
  const n = config.health.conditions.length;
  const held = n === 0 ? null : `${n === 1 ? 'the condition holds' : `all ${n} conditions hold`}`;
  const kind = probeKindOf(config.health.url);
  if (kind !== 'http') return `ok (${kind} connected${held ? `; ${held}` : ''})`;
  return `ok (HTTP ${httpStatus ?? '?'}, ${held ?? `status=${config.health.expectStatus}`})`;
}

/** Renders a cycle result for a terminal: the plugin line first (what Nagios and friends read), then the summary. */
export function renderCycle(config: GuardConfig, r: CycleResult): string {
  const lines = [pluginLine(config, r), `${pad('probe')}${probeKindOf(config.health.url)} ${redactUrlText(config.health.url)}  ${r.assessment?.check.ts ?? ''}`.trimEnd()];
  if (r.assessment) {
    const c = r.assessment.check;
    const health = c.lat.ok ? healthOk(config, c.lat.http_status) : `UNHEALTHY: ${c.lat.error ?? 'unknown'}`;
    lines.push(`${pad('health')}${health}`, `${pad('latency')}${latencyLine(config, r)}`);
    const res = config.resources;
    lines.push(`${pad('cpu')}${pct(c.res.cpu, res.cpuCritical, 'critical')}${cpuSpan(config, r)}`);
    lines.push(`${pad('mem')}${pct(c.res.mem, res.memCritical, 'critical')}`);
    lines.push(`${pad('disk')}${pct(c.res.disk, res.diskWarning, 'warning')}`);
    const svc = c.res.service;
    if (svc) lines.push(`${pad('service')}${svc.name}: cpu ${pct(svc.cpu, res.cpuCritical, 'critical').trim()}; mem ${pct(svc.mem, res.memCritical, 'critical').trim()}`);
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
