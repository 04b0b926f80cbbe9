// `anomaly-guard run`: the daemon. Loads the config (a bad one exits 2), then hands the real clock,
// signals, cycle and log to the daemon, which runs until SIGTERM/SIGINT and exits 0.
import type { GuardConfig } from '../config/config.js';
import type { CycleDeps } from '../cycle/deps.js';
import { loadConfig } from '../config/load.js';
import { runCycle } from '../cycle/check-cycle.js';
import { runDaemon } from '../daemon/daemon.js';
import { systemClock } from '../effects/clock.js';
import { tuneDaemonGc } from '../effects/gc-tuning.js';
import { nodeHttpGet, WARM_FOR_MS } from '../effects/http-client.js';
import { keepAlivePool } from '../effects/keep-alive-pool.js';
import { probeSlots } from '../effects/probe-slots.js';
import { procfsReader } from '../effects/procfs.js';
import { sharedReads } from '../effects/shared-reads.js';
import { nodeStatfs } from '../effects/statfs.js';
import { stallWatch } from '../daemon/stall-watch.js';
import { fileGuardLog } from '../log/file-log.js';
import { realAlertDeps, realCommonDeps, realTargetDeps, withLog, type TargetDeps } from './real-deps.js';
import { VERSION } from './version.js';

/** Runs the daemon; resolves with its exit status once it stopped cleanly. */
export default async function run(opts: Record<string, unknown>): Promise<number> {
  // Before the config's load and the first interval, whose long-lived objects would teach V8 the wrong lesson.
  tuneDaemonGc();
  const file = typeof opts.config === 'string' ? opts.config : undefined;
  const { config, warnings } = await loadConfig({ file });
  // SIGHUP reloads the file found at start (-c, $ANOMALY_GUARD_CONFIG or ./anomaly-guard.yaml).
  const again = { file: config.file ?? file };
  // A reader of stderr that went away (EPIPE) must not take the daemon down; scheduler.log still has it all.
  process.stderr.on('error', () => undefined);
  // One client for every cycle; at a short interval it stays warm between probes (no warm-up GETs each time).
  const http = nodeHttpGet({ warmForMs: WARM_FOR_MS });
  // health.keep_alive: true (per target, also after a reload): one pool of connections for every such target and cycle.
  const pool = keepAlivePool();
  const keptAlive = nodeHttpGet({ warmForMs: WARM_FOR_MS, pool });
  const alertDeps = realAlertDeps();
  const clock = systemClock();
  // The clock, the POST and TCP clients, the heal runner: one set for every target and cycle.
  const common = realCommonDeps(clock);
  // max_concurrent_probes: one cap over every target's probes (a reload may change it).
  const slots = probeSlots(config.maxConcurrentProbes, clock);
  // Probes timed across the guard's own stalls are marked (stalled_ms); with many targets, the host's files are
  // read once per moment for all of them (shared for less than the shortest CPU sample: its two readings stay two).
  const stalls = stallWatch(clock);
  const freshMs = Math.min(250, ...[config, ...config.targets].map((t) => t.resources.cpuSampleMs / 2));
  const shared = sharedReads(clock, nodeStatfs, freshMs);
  const procfsRoots = new Map<string, ReturnType<typeof procfsReader>>();
  const procfsOf = (root: string) => procfsRoots.get(root) ?? procfsRoots.set(root, procfsReader(root)).get(root)!;
  // A target's clients, readers and runner are built once per config it runs with (a reload's new config builds new
  // ones), not once per cycle: at 10,000 targets that was ~10,000 sets of closures a second for the GC.
  const lasting = new WeakMap<GuardConfig, TargetDeps & Pick<CycleDeps, 'stallSpan' | 'probeSlot'>>();
  try {
    return await runDaemon(config, warnings, {
      clock,
      signals: process,
      pid: process.pid,
      version: VERSION,
      quiet: opts.quiet === true,
      loadConfig: () => loadConfig(again),
      openLog: (path) => fileGuardLog(path),
      cycleDeps: (c: GuardConfig, warn) => {
        let base = lasting.get(c);
        if (base === undefined) {
          base = {
            ...realTargetDeps(c, { http: c.health.keepAlive ? keptAlive : http, common, ...(c.target === null ? {} : { procfs: shared.procfs(procfsOf(c.resources.procfs)) }) }),
            ...(c.target === null ? {} : { statfs: shared.statfs }),
            stallSpan: stalls.span,
            probeSlot: (signal: AbortSignal, suspect?: boolean) => {
              slots.setMax(c.maxConcurrentProbes);
              return slots.acquire(signal, suspect);
            },
          };
          lasting.set(c, base);
        }
        return withLog(base, c, warn);
      },
      runCycle: (c, deps) => runCycle(c, deps),
      stderr: (line) => void process.stderr.write(`${line}\n`),
      // The HTTP server and the Alertmanager push, loaded only by the daemon.
      startServices: async (view) => (await import('../http/daemon-services.js')).startDaemonServices(view, alertDeps),
    });
  } finally {
    pool.close(); // idle connections closed with the daemon
  }
}
