// Everything a guard cycle touches outside itself, passed in from one composition root.
import type { Clock } from '../effects/clock.js';
import type { HttpGet } from '../effects/http-client.js';
import type { HttpPost } from '../effects/http-post.js';
import type { ProcessRunner } from '../effects/process-runner.js';
import type { ProcfsReader } from '../effects/procfs.js';
import type { Statfs } from '../effects/statfs.js';
import type { TcpConnect } from '../effects/tcp-client.js';
import type { LockResult } from '../log/lock.js';
import type { GuardLog } from '../log/file-log.js';
import type { History, HistoryNeeds } from '../core/history.js';

/** The side effects of a cycle. */
export interface CycleDeps {
  clock: Clock;
  http: HttpGet;
  /** POSTs of the webhook and Alertmanager alerts. */
  post: HttpPost;
  /** Connections of tcp:// and tls:// probes. */
  tcp: TcpConnect;
  procfs: ProcfsReader;
  statfs: Statfs;
  runner: ProcessRunner;
  log: GuardLog;
  /** Takes the heal lock (one heal at a time per log file, across processes). */
  lockHeal(): LockResult;
  /** Reads a small file (CA bundle, cgroup files). */
  readFile(path: string): Promise<string>;
  /** Reports a problem that does not stop the cycle (a failed alert) on stderr. */
  warn(line: string): void;
  /** The history kept in memory (the daemon), synced with the log; without it the log's tail is read backwards. */
  history?(needs: HistoryNeeds): { history: History; skipped: number };
  /** Takes one of the daemon's probe slots (max_concurrent_probes) before a probe's clock starts; absent = no cap. A
   * suspect probe (a re-probe, a heal's verification, a target whose previous check failed) takes a slot of its lane. */
  probeSlot?(signal: AbortSignal, suspect?: boolean): Promise<{ release(): void; waitedMs: number }>;
  /** Opens a span of the probe; its `end()` says how long the guard's own event loop was stalled in it (the daemon
   * watches it, only while spans are open); absent = never. */
  stallSpan?(): { end(): number };
}
