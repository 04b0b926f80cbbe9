// SIGHUP: load the config again. A valid one replaces the old for the next cycle; an invalid one, or
// one that moves log_file (the daemon's lock and the guard's state live beside the log), is refused
// with every problem named, and the old config stays.
import type { GuardConfig } from '../config/config.js';
import type { LoadedConfig } from '../config/load.js';
import { GuardError } from '../errors.js';

/** The outcome of a reload. */
export type ReloadResult =
  | { ok: true; config: GuardConfig; warnings: string[]; changed: string[] }
  | { ok: false; reason: string; problems: string[] };

/** Loads the new config with `load` and decides whether it may replace `current`. */
export async function reloadConfig(current: GuardConfig, load: () => Promise<LoadedConfig>): Promise<ReloadResult> {
  let loaded: LoadedConfig;
  try {
    loaded = await load();
  } catch (err) {
    if (err instanceof GuardError) return { ok: false, reason: err.message, problems: err.details };
    return { ok: false, reason: `cannot load the config: ${(err as Error).message}`, problems: [] };
  }
  const next = loaded.config;
  if (next.logFile !== current.logFile) {
    return {
      ok: false,
      reason: `log_file changed from ${current.logFile} to ${next.logFile}; a running daemon keeps its log (and its lock)`,
      problems: ['restart the daemon to move the log, or put log_file back'],
    };
  }
  return { ok: true, config: next, warnings: loaded.warnings, changed: changedKeys(current, next) };
}

/** The settings that differ between two configs, as config keys (`interval`, `heal.max_per_hour`), in config order. */
export function changedKeys(a: GuardConfig, b: GuardConfig): string[] {
  const out: string[] = [];
  for (const key of Object.keys(b) as (keyof GuardConfig)[]) {
    if (key === 'file' || key === 'baseDir') continue;
    const [x, y] = [a[key] as unknown, b[key] as unknown];
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (!isSection(x) || !isSection(y)) {
      out.push(configKey(key));
      continue;
    }
    for (const sub of Object.keys(y)) {
      if (JSON.stringify(x[sub]) !== JSON.stringify(y[sub])) out.push(`${configKey(key)}.${configKey(sub)}`);
    }
  }
  return out;
}

function isSection(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// intervalMs → interval, cycleTimeoutMs → cycle_timeout, maxPerHour → max_per_hour.
function configKey(name: string): string {
  return name.replace(/Ms$/, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The reload line for scheduler.log. */
export function reloadLine(result: ReloadResult, file: string | null): string {
  const where = file ?? 'the built-in defaults';
  if (result.ok) {
    const what = result.changed.length === 0 ? 'nothing changed' : `changed: ${result.changed.join(', ')}`;
    return `reload (SIGHUP): ok, config ${where}; ${what}`;
  }
  // One line per reload: a bad condition's caret display (its second and third lines) stays out.
  const problems = result.problems.length === 0 ? '' : `: ${result.problems.map((p) => p.split('\n')[0]).join('; ')}`;
  return `reload (SIGHUP) failed, old config kept: ${result.reason}${problems}`;
}
