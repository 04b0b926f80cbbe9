// The first line of `check`, as the monitoring-plugins guidelines (Nagios, Icinga, Naemon, Sensu) read it:
// `STATUS - <what was found> | 'label'=value[UOM];[warn];[crit];[min];[max] ...`. A threshold sits in the
// warn field when its finding alerts and in the crit field when it heals, as the exit status does.
import type { GuardConfig } from '../config/config.js';
import { STATUS_WORDS } from '../core/decision/status.js';
import { roundMs } from '../core/format.js';
import type { FindingKind } from '../config/schema.js';
import type { CycleResult } from '../cycle/check-cycle.js';

/** The plugin line of a cycle: status word, reasons (or "all within thresholds") and the performance data. */
export function pluginLine(config: GuardConfig, r: CycleResult): string {
  const word = STATUS_WORDS[r.status];
  const a = r.assessment;
  const found = a ? [...a.decision.heal, ...a.decision.alert, ...a.decision.log].map((f) => f.reason) : [];
  const said = [...(r.timedOut ? [`cycle aborted after ${config.cycleTimeoutMs} ms (cycle_timeout)`] : []), ...found];
  const text = said.length > 0 ? said.join(', ') : a ? 'all within thresholds' : 'no figures';
  return a ? `${word} - ${pluginText(text)} | ${perfData(config, r)}` : `${word} - ${pluginText(text)}`;
}

/** The plugin line of a check that could not run: `UNKNOWN - <why>`. */
export function unknownLine(why: string): string {
  return `UNKNOWN - ${pluginText(why)}`;
}

// One line that a scheduler keeps as written: '|' would start the perfdata (a body excerpt or a pat() may
// hold one), and Nagios turns ';' into ':' (it separates the fields of its status file and commands).
function pluginText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '/').replace(/;/g, ',');
}

function perfData(config: GuardConfig, r: CycleResult): string {
  const a = r.assessment;
  if (!a) return '';
  const c = a.check;
  const res = config.resources;
  const items = [
    `latency=${value(c.lat.latency_ms, 'ms')};${thresholds(config, 'latency', latencyThreshold(config, r))};0`,
    `cpu=${value(c.res.cpu, '%')};${thresholds(config, 'cpu', res.cpuCritical)};0;100`,
    `mem=${value(c.res.mem, '%')};${thresholds(config, 'mem', res.memCritical)};0;100`,
    `disk=${value(c.res.disk, '%')};${thresholds(config, 'disk', res.diskWarning)};0;100`,
  ];
  if (c.score !== null) items.push(`score=${value(c.score, '')};${thresholds(config, 'latency', zscore(config) ? config.latency.sigma : null)}`);
  return items.join(' ');
}

// `warn;crit`: the threshold where its finding's action puts it (heal: crit, alert: warn, log: neither).
function thresholds(config: GuardConfig, kind: FindingKind, threshold: number | null): string {
  const action = config.actions[kind];
  const t = threshold === null ? '' : plain(threshold);
  return action === 'heal' ? `;${t}` : action === 'alert' ? `${t};` : ';';
}

// The latency above which the z-score passes sigma, when the seed's detector decides and a baseline exists.
function latencyThreshold(config: GuardConfig, r: CycleResult): number | null {
  const b = r.assessment?.baseline;
  if (!zscore(config) || !b || b.mean === null || b.stdev === null) return null;
  return roundMs(b.mean + config.latency.sigma * Math.max(b.stdev, config.latency.minStdevMs));
}

const zscore = (config: GuardConfig): boolean => config.latency.detector === 'zscore';

// A value as the guidelines allow (digits, '-', '.', no exponent), or U when it could not be determined.
function value(v: number | null, unit: string): string {
  return v === null ? 'U' : `${plain(v)}${unit}`;
}

function plain(n: number): string {
  const fixed = n.toFixed(3);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}
