// The target a read of the API is about (`?target=NAME`), and the request behind GET /api/targets. With
// `targets:` every read names its target; a config without targets is one target and takes no name.
import type { GuardConfig } from '../config/config.js';
import { formatTs } from '../core/format.js';
import type { FleetMemory } from './fleet-memory.js';
import type { TargetsRequest } from './log-reads.js';

/** The config a read is about, or why there is none (its HTTP status and message). */
export type Scope = { config: GuardConfig } | { status: 400 | 404; problem: string };

/** The target named by `?target=` (`name`), or the guard itself when the config has no targets. */
export function scopeOf(config: GuardConfig, name: string | undefined): Scope {
  const n = config.targets.length;
  const shown = JSON.stringify((name ?? '').slice(0, 100));
  if (name === undefined || name === '') {
    if (n === 0) return { config };
    return { status: 400, problem: `this guard has ${n} targets: add ?target=NAME (GET /api/targets lists them)` };
  }
  if (n === 0) return { status: 404, problem: `target ${shown}: this guard has no targets; leave ?target out` };
  const found = config.targets.find((t) => t.target === name);
  if (found === undefined) return { status: 404, problem: `no target ${shown} in this guard; GET /api/targets lists its targets` };
  return { config: found };
}

/** The overview's request: the rows the daemon's memory holds, the rest from their logs' tails. */
export function targetsRequest(config: GuardConfig, fleet: FleetMemory, nowMs: number): TargetsRequest {
  const memory: TargetsRequest['memory'] = [];
  const fromLog: TargetsRequest['fromLog'] = [];
  for (const t of config.targets) {
    const known = fleet.row(t, nowMs);
    if (known !== null) {
      const { incident_in_memory: inMemory, ...row } = known;
      memory.push({ row, incidentLog: inMemory ? null : t.logFile });
    } else {
      fromLog.push({ target: t.target as string, logFile: t.logFile, maxPerHour: t.heal.maxPerHour, staleMs: 2 * t.intervalMs + t.cycleTimeoutMs });
    }
  }
  fleet.keep(new Set(config.targets.map((t) => t.target as string)));
  return { kind: 'targets', logFile: config.logFile, nowMs, updatedAt: formatTs(nowMs), memory, fromLog };
}
