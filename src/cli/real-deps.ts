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

/** The parts of a target's dependencies that do not depend on its config: the clock, the POST and TCP clients, statfs,
 * the heal runner (with its containment) and the small-file reader. A daemon builds one set for all its targets (a set
 * per target was ~20 closures and their contexts a target, kept for the daemon's life). */
export type CommonDeps = Pick<TargetDeps, 'clock' | 'post' | 'tcp' | 'statfs' | 'runner' | 'readFile'>;

/** Builds the config-independent parts on `clock`. */
export function realCommonDeps(clock = systemClock()): CommonDeps {
  return {
    clock,
    post: nodeHttpPost(),
    tcp: nodeTcpConnect(),
    statfs: nodeStatfs,
    runner: nodeProcessRunner({ clock, containment: healContainment() }),
    // A CA bundle or a cgroup file: a regular file, bounded (a FIFO there must not hang the cycle).
    readFile: (path) => readSmallFile(path, SMALL_FILE_MAX_BYTES),
  };
}

/** Builds a target's lasting dependencies for a config. A daemon passes one HTTP client for all its cycles (it keeps
 * the TLS roots it loaded), the common parts it shares, and the /proc reader its targets share. */
export function realTargetDeps(config: GuardConfig, opts: { http?: HttpGet; common?: CommonDeps; procfs?: TargetDeps['procfs'] } = {}): TargetDeps {
  return {
    ...(opts.common ?? realCommonDeps()),
    http: opts.http ?? nodeHttpGet(),
    procfs: opts.procfs ?? procfsReader(config.resources.procfs),
    lockHeal: () => tryLock(healLockPath(config.logFile)),
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
