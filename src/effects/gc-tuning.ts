// The daemon's settings for V8's garbage collector, set once at its start (`anomaly-guard run` only).
//
// Allocation-site pretenuring: V8 watches, per place in the code that makes objects, how many of them survive the
// young generation's collections, and once most do it makes that place's objects in the old generation at once. A
// daemon's first interval is unlike the rest: every target's first cycle samples the CPU for cpu_sample (1 s) with
// its objects in flight, so at thousands of targets most of a cycle's objects survive, and V8 pretenures them. From
// then on every cycle's short-lived objects (its records, its assessment, its probe) are made in the old generation
// for the daemon's life, where only a full collection takes them back. Off, they die young: at 10,000 targets the old
// generation grew 11.4 instead of 17.8-18.5 MB a second, and a full collection came every ~30 s instead of every ~15 s
// (bench/README.md, scale round 6). V8 reads this flag at each collection, so setting it after start takes effect.
import { setFlagsFromString } from 'node:v8';

/** The V8 flags the daemon sets at its start. */
export const DAEMON_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring'];

/** Sets DAEMON_V8_FLAGS through `set` (default: V8's own). */
export function tuneDaemonGc(set: (flag: string) => void = setFlagsFromString): void {
  for (const flag of DAEMON_V8_FLAGS) set(flag);
}
