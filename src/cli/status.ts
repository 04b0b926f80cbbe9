// `anomaly-guard status`: the latest check, the baseline, the last trigger and heal, from the log.
// Log strings reach the terminal escaped, and each line is bounded (status --json has them whole).
import { logMissing } from '../log/reader.js';
import type { GuardConfig } from '../config/config.js';
import { redactUrlText } from '../config/fields.js';
import { probeKindOf } from '../core/conditions/probe-kind.js';
import { plainNumber } from '../core/format.js';
import { parseTs } from '../core/format.js';
import { GuardError } from '../errors.js';
import { logReadError } from '../log/file-log.js';
import type { GuardRecord } from '../log/records.js';
import type { EventKind } from '../core/tail-summary.js';
import { readTailSummary, summarySettings, type LogTailSummary } from '../cycle/read-summary.js';
import { loadForCommand } from './config-arg.js';
import { oneTarget } from './target-arg.js';
import { formatRecordLine } from './render-record.js';
import { terminalLine, visibleJson } from '../core/terminal-text.js';

// The label column: as wide as the longest label ("suppressed") and two spaces.
const label = (text: string): string => text.padEnd(12);

// The events status shows the newest of.
const EVENTS: readonly EventKind[] = ['anomaly_trigger', 'self_heal', 'heal_verify', 'heal_suppressed', 'resource_warning', 'cycle_timeout'];

const PROFILE_LINES: Record<GuardConfig['profile'], string> = {
  safe: 'safe (findings confirmed by re-probes, CPU over the interval, host-wide cpu/mem alert only, backoff then stop)',
  seed: "seed (the seed's table read literally: one sample decides)",
};

function ago(ts: unknown, nowMs: number): string {
  const t = parseTs(ts);
  if (!Number.isFinite(t)) return '';
  const s = Math.max(0, Math.round((nowMs - t) / 1000));
  const text = s < 120 ? `${s}s` : s < 7200 ? `${Math.round(s / 60)}m` : s < 172_800 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86_400)}d`;
  return ` (${text} ago)`;
}

// What is probed, and how it is judged: `tcp tcp://127.0.0.1:6379 (expect "+PONG")`. The text sent is
// not shown (it may hold a password, e.g. a Redis AUTH).
function probeLine(h: GuardConfig['health']): string {
  const kind = probeKindOf(h.url);
  const judged = h.conditions.length > 0 ? h.conditions.map((c) => c.text).join(', ') : kind === 'http' ? `2xx and [BODY].status == ${h.expectStatus}` : '[CONNECTED] == true';
  const expect = h.expect === '' ? '' : `expect ${JSON.stringify(h.expect)}; `;
  return `${kind} ${redactUrlText(h.url)} (${expect}${judged})`;
}

function render(s: LogTailSummary, config: GuardConfig, nowMs: number): string {
  const { sigma } = config.latency;
  const { maxPerHour } = config.heal;
  const b = s.baseline;
  const base =
    b.mean === null || b.stdev === null
      ? `not enough samples yet (${b.n} ok checks in the window)`
      : `${b.mean.toFixed(1)} ± ${b.stdev.toFixed(1)} ms over ${b.n} ok checks; anomaly above ${b.threshold_ms?.toFixed(1)} ms (${plainNumber(sigma)} sigma)`;
  const line = (name: string, rec: GuardRecord | null | undefined, none = 'none'): string => label(name) + (rec == null ? none : `${formatRecordLine(rec)}${ago(rec.ts, nowMs)}`);
  return [
    `${label('log')}${config.logFile}`,
    `${label('profile')}${PROFILE_LINES[config.profile]}`,
    `${label('probe')}${probeLine(config.health)}`,
    line('latest', s.latestCheck, 'no check yet'),
    `${label('baseline')}${base}`,
    line('trigger', s.last.anomaly_trigger),
    line('heal', s.last.self_heal),
    line('verify', s.last.heal_verify),
    line('suppressed', s.last.heal_suppressed),
    line('warning', s.last.resource_warning),
    `${label('budget')}${s.healsLastHour} of ${maxPerHour} heals used in the last hour`,
  ]
    .map((text) => terminalLine(text, 'status --json'))
    .join('\n');
}

function summarise(config: GuardConfig, nowMs: number): LogTailSummary {
  // The read goes on into the newest rotated file when the live log is short; one it cannot read is said here.
  const warn = (line: string): void => void process.stderr.write(`anomaly-guard status: ${line}\n`);
  try {
    return readTailSummary(config.logFile, summarySettings(config), nowMs, EVENTS, warn);
  } catch (err) {
    throw logReadError(config.logFile, err);
  }
}

/** Prints the status; exit 1 (LOG_MISSING) when there is no log yet. */
export default async function status(opts: Record<string, unknown>): Promise<number> {
  const loaded = await loadForCommand(opts, 'status');
  if (loaded.targets.length > 0 && opts.target === undefined) return (await import('./status-targets.js')).statusOfTargets(loaded.targets, opts, Date.now());
  const config = oneTarget(loaded, opts.target, 'status');
  if (logMissing(config.logFile)) {
    throw new GuardError('LOG_MISSING', `no log yet at ${config.logFile}`, { hint: 'run `anomaly-guard check` (or start the daemon) first, or point -c at the right config' });
  }
  const nowMs = Date.now();
  const s = summarise(config, nowMs);
  if (s.skippedLines > 0) process.stderr.write(`anomaly-guard status: skipped ${s.skippedLines} unreadable line(s) in ${config.logFile}\n`);
  if (s.invalidRecords > 0) {
    process.stderr.write(`anomaly-guard status: passed over ${s.invalidRecords} record(s) of no known kind or with fields of the wrong type in ${config.logFile} (\`anomaly-guard tail\` shows them)\n`);
  }
  if (opts.json) {
    const json = {
      log_file: config.logFile,
      profile: config.profile,
      probe: { kind: probeKindOf(config.health.url), url: redactUrlText(config.health.url), conditions: config.health.conditions.map((c) => c.text), expect: config.health.expect },
      latest_check: s.latestCheck,
      baseline: s.baseline,
      last_trigger: s.last.anomaly_trigger ?? null,
      last_heal: s.last.self_heal ?? null,
      last_verify: s.last.heal_verify ?? null,
      last_suppressed: s.last.heal_suppressed ?? null,
      last_warning: s.last.resource_warning ?? null,
      last_cycle_timeout: s.last.cycle_timeout ?? null,
      heals_last_hour: s.healsLastHour,
      max_per_hour: config.heal.maxPerHour,
      skipped_lines: s.skippedLines,
      invalid_records: s.invalidRecords,
    };
    process.stdout.write(`${visibleJson(JSON.stringify(json, null, 2))}\n`);
  } else {
    process.stdout.write(`${render(s, config, nowMs)}\n`);
  }
  return 0;
}
