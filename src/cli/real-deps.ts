// The composition root of the CLI: the real clock, network, /proc, statfs, child processes and log file.
import { hostname } from 'node:os';
import type { AlertDeps } from '../alert/alerting.js';
import type { GuardConfig } from '../config/config.js';
import type { CycleDeps } from '../cycle/deps.js';
import { systemClock } from '../effects/clock.js';
import { nodeHttpGet, type HttpGet } from '../effects/http-client.js';
import { nodeHttpPost } from '../effects/http-post.js';
import { healContainment } from '../effects/containment.js';
import { nodeProcessRunner } from '../effects/process-runner.js';
import { procfsReader } from '../effects/procfs.js';
import { readSmallFile, SMALL_FILE_MAX_BYTES } from '../effects/safe-file.js';
import { nodeStatfs } from '../effects/statfs.js';
import { nodeTcpConnect } from '../effects/tcp-client.js';
import { fileGuardLog } from '../log/file-log.js';
import { tryLock } from '../log/lock.js';

/** The lock file that keeps two heals on one log from running at once. */
export function healLockPath(logFile: string): string {
  return `${logFile}.heal.lock`;
}

/** The parts of a cycle's real dependencies that do not change from one cycle to the next: a daemon builds them once
 * per target (and again when a reload gives the target a new config), not once per cycle. */
export type TargetDeps = Omit<CycleDeps, 'log' | 'warn' | 'history' | 'probeSlot' | 'stallSpan'>;

/** Builds a target's lasting dependencies for a config. A daemon passes one HTTP client for all its cycles (it keeps
 * the TLS roots it loaded). */
export function realTargetDeps(config: GuardConfig, opts: { http?: HttpGet } = {}): TargetDeps {
  const clock = systemClock();
  return {
    clock,
    http: opts.http ?? nodeHttpGet(),
    post: nodeHttpPost(),
    tcp: nodeTcpConnect(),
    procfs: procfsReader(config.resources.procfs),
    statfs: nodeStatfs,
    runner: nodeProcessRunner({ clock, containment: healContainment() }),
    lockHeal: () => tryLock(healLockPath(config.logFile)),
    // A CA bundle or a cgroup file: a regular file, bounded (a FIFO there must not hang the cycle).
    readFile: (path) => readSmallFile(path, SMALL_FILE_MAX_BYTES),
  };
}

/** A cycle's dependencies: a target's lasting ones with the log file, opened on the first append; `close()` releases it. */
export function withLog<T extends TargetDeps>(base: T, config: GuardConfig, warn: (line: string) => void): T & Pick<CycleDeps, 'log' | 'warn'> & { close(): void } {
  const log = fileGuardLog(config.logFile, { warn });
  return { ...base, log, warn, close: () => log.close() };
}

/** Builds the real dependencies of one cycle for a config; `close()` releases the log file. */
export function realCycleDeps(config: GuardConfig, warn: (line: string) => void, opts: { http?: HttpGet } = {}): CycleDeps & { close(): void } {
  return withLog(realTargetDeps(config, opts), config, warn);
}

/** The real effects of the daemon's alerting beside its cycles (the Alertmanager push): the POST client;
 * a runner and a sleep as every provider takes them (the cycle's own alerts use the cycle's). */
export function realAlertDeps(): AlertDeps {
  const clock = systemClock();
  return { runner: nodeProcessRunner({ clock }), post: nodeHttpPost(), sleep: clock.sleep, hostname: hostname() };
}
