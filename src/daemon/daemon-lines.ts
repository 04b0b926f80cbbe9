// The readable lines the daemon writes to scheduler.log (each stamped by the writer): start, stop,
// the scheduler's notes. Pure: they take what happened and return text.
import type { GuardConfig } from '../config/config.js';
import { formatDuration } from '../config/duration.js';
import { seconds } from './outcome.js';
import type { Schedule } from '../core/schedule.js';
import type { SchedulerNote } from './scheduler.js';
import type { StopSignal } from './signals.js';

/** The schedule a config asks for: its cron expression when set, else every `interval`. */
export function scheduleOf(config: Pick<GuardConfig, 'schedule' | 'intervalMs'>): Schedule {
  return config.schedule !== null ? { kind: 'cron', expr: config.schedule } : { kind: 'interval', everyMs: config.intervalMs };
}

/** A schedule in words: `every 5m` or `cron "*\/5 * * * *"`. */
export function describeSchedule(schedule: Schedule): string {
  return schedule.kind === 'interval' ? `every ${formatDuration(schedule.everyMs)}` : `cron "${schedule.expr}"`;
}

/** True when two schedules fire at the same times (a reload that keeps it must not re-plan). */
export function sameSchedule(a: Schedule, b: Schedule): boolean {
  return a.kind === 'interval' ? b.kind === 'interval' && a.everyMs === b.everyMs : b.kind === 'cron' && a.expr === b.expr;
}

/** The start line. */
export function startLine(info: { pid: number; version: string; config: GuardConfig; lockPath: string }): string {
  const c = info.config;
  const base = `started pid ${info.pid}, anomaly-guard ${info.version}, config ${c.file ?? '(built-in defaults)'}`;
  if (c.targets.length > 0) {
    const names = c.targets.slice(0, 10).map((t) => `${t.target} (${describeSchedule(scheduleOf(t))})`).join(', ');
    const more = c.targets.length > 10 ? `, and ${c.targets.length - 10} more` : '';
    return `${base}, ${c.targets.length} targets: ${names}${more}; cycle_timeout ${formatDuration(c.cycleTimeoutMs)}, logs beside ${c.logFile}, lock ${info.lockPath}`;
  }
  return `${base}, schedule ${describeSchedule(scheduleOf(c))}, cycle_timeout ${formatDuration(c.cycleTimeoutMs)}, log ${c.logFile}, lock ${info.lockPath}`;
}

/** The stop line. */
export function stopLine(signal: StopSignal, cycles: number): string {
  return `stopped on ${signal} after ${cycles} cycle${cycles === 1 ? '' : 's'}`;
}

/** A scheduler note as a line. */
export function noteLine(note: SchedulerNote): string {
  switch (note.kind) {
    case 'cycle-start':
      return `cycle ${note.cycle} start`;
    case 'cycle-end':
      return `cycle ${note.cycle} end after ${seconds(note.durationMs)}: ${note.outcome}`;
    case 'cycle-error':
      return `cycle ${note.cycle} error after ${seconds(note.durationMs)}: ${note.error}`;
    case 'skip':
      return `tick ${note.tick} skipped: cycle ${note.running} still running (for ${seconds(note.runningForMs)})`;
  }
}
