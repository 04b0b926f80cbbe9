// Where a heal's processes are kept track of: its own cgroup where the guard may make one, else only its
// process group. Either way every process it starts carries a mark in its environment
// (ANOMALY_GUARD_HEAL_ID, as Jenkins marks a build's processes), so that without a cgroup one that left the
// group (setsid) is still found after the heal, unless it dropped its environment.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { delegatedHome, type CgroupHome } from './cgroup.js';
import { makeHealCgroup, sweepHealCgroups, type HealCgroup } from './heal-cgroup.js';

/** A process of a heal still running after the heal ended. */
export interface LeftProcess {
  pid: number;
  comm: string;
  /** Its process group (the heal's own = the heal's pid; another = it left with setsid). */
  pgid: number;
}

/** One heal's containment: how its child is started, signalled, listed and let go. */
export interface Containment {
  readonly kind: 'cgroup' | 'process_group';
  /** The cgroup's path in the hierarchy; null for a process group. */
  readonly cgroup: string | null;
  /** Added to the child's environment. */
  readonly env: Record<string, string>;
  /** Runs `start` (a synchronous spawn) so that the child is born inside. */
  spawn<T>(start: () => T): T;
  /** Sends a signal to every member (a cgroup's); the runner signals the process group itself. */
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL to every member (a cgroup's, at once). */
  kill(): void;
  /** The processes inside now. */
  members(): LeftProcess[];
  /** Lets go: removes an empty cgroup. */
  close(): void;
}

/** Opens the containment of one run. */
export type OpenContainment = () => Promise<Containment>;

/** The environment variable marking a heal's processes. */
export const HEAL_MARK = 'ANOMALY_GUARD_HEAL_ID';

/** Heal containments: a cgroup each where this host lets the guard make one (`cgroups: false`: never). */
export function healContainment(opts: { cgroups?: boolean; proc?: string } = {}): OpenContainment {
  const proc = opts.proc ?? '/proc';
  let home: Promise<CgroupHome | null> | undefined;
  const open = new Set<string>();
  let n = 0;
  return async () => {
    home ??= opts.cgroups === false ? Promise.resolve(null) : delegatedHome(proc);
    const h = await home;
    n += 1;
    const group = groupContainment(`${process.pid}-${n}-${randomBytes(4).toString('hex')}`, proc);
    if (h === null) return group;
    sweepHealCgroups(h, (pid) => readStat(proc, pid) !== null, open);
    const cg = makeHealCgroup(h, n);
    if (cg === null) return group;
    open.add(cg.name);
    return cgroupContainment(cg, group, () => open.delete(cg.name), proc);
  };
}

// A process group only: members are the live processes carrying the mark.
function groupContainment(mark: string, proc: string): Containment {
  const needle = `${HEAL_MARK}=${mark}`;
  return {
    kind: 'process_group',
    cgroup: null,
    env: { [HEAL_MARK]: mark },
    spawn: (start) => start(),
    signal: () => undefined,
    kill: () => undefined,
    members: () => pidsInProc(proc).filter((pid) => hasMark(proc, pid, needle)).flatMap((pid) => describe(proc, pid)),
    close: () => undefined,
  };
}

// A cgroup, falling back to the process group when this process cannot move into it.
function cgroupContainment(cg: HealCgroup, group: Containment, forget: () => void, proc: string): Containment {
  let inside = true;
  const close = (): void => {
    cg.remove();
    forget();
  };
  return {
    get kind() {
      return inside ? 'cgroup' : 'process_group';
    },
    get cgroup() {
      return inside ? cg.path : null;
    },
    env: group.env,
    spawn(start) {
      if (!cg.enter()) {
        inside = false;
        close();
        return start();
      }
      try {
        return start();
      } finally {
        cg.leave();
      }
    },
    signal(signal) {
      if (inside) for (const pid of others(cg)) trySignal(pid, signal);
    },
    kill() {
      if (inside) cg.kill();
    },
    members: () => (inside ? others(cg).flatMap((pid) => describe(proc, pid)) : group.members()),
    close() {
      if (inside) close();
    },
  };
}

// The members but this process (in the cgroup only if it could not leave it after the spawn).
function others(cg: HealCgroup): number[] {
  return cg.pids().filter((pid) => pid !== process.pid);
}

function trySignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already
  }
}

function pidsInProc(proc: string): number[] {
  try {
    return fs.readdirSync(proc).filter((name) => /^\d+$/.test(name)).map(Number).filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

// The mark as one whole entry of the NUL-separated environment (another's processes: EACCES, skipped).
function hasMark(proc: string, pid: number, needle: string): boolean {
  try {
    return `\0${fs.readFileSync(`${proc}/${pid}/environ`, 'latin1')}\0`.includes(`\0${needle}\0`);
  } catch {
    return false;
  }
}

// The pid as a running process ([] when it is gone or a zombie): its name and process group.
function describe(proc: string, pid: number): LeftProcess[] {
  const stat = readStat(proc, pid);
  if (stat === null) return [];
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const [state, , pgid] = stat.slice(close + 1).trim().split(/\s+/);
  if (state === 'Z' || state === 'X') return [];
  return [{ pid, comm: stat.slice(open + 1, close), pgid: Number(pgid) }];
}

function readStat(proc: string, pid: number): string | null {
  try {
    return fs.readFileSync(`${proc}/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
}
