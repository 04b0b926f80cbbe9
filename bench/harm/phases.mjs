// The phases of one `npm run bench:harm` run, applied to every side (service + guard) at once: the busy
// neighbour's noise, quiet gaps, and the real faults. Each returns the phases it ran, {name, kind, startMs, endMs}.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cycleStarts, isCheck, serviceWell } from './analyse.mjs';
import { control, owned } from './children.mjs';
import { INTERVAL_MS, readLog } from './guard.mjs';
import { cpuBurst, noiseSchedule } from './neighbour.mjs';

/** The real faults, in order: what the service is told, and whether its restart fixes it. */
export const FAULTS = [
  { name: 'hang', mode: 'hang' },
  { name: '503', mode: '503' },
  { name: 'slow x100, fixed by a restart', mode: 'slow', factor: 100 },
  { name: 'slow x100, not fixed by a restart', mode: 'sticky-slow', factor: 100, sticky: true },
];
/** Cycles a fixable fault may take before the bench ends it. */
const FAULT_LIMIT_CYCLES = 10;
/** Quiet cycles between phases: longer than heal.backoff_reset (12 s), so each fault is an incident of its own. */
const GAP_CYCLES = 8;

const startsAfter = (side, ms) => cycleStarts(fs.readFileSync(path.join(side.guard.dir, 'scheduler.log'), 'utf8')).filter((s) => s > ms).length;

// Polls `done(side)` for every side every 500 ms; throws after `timeoutMs` or when a guard has exited.
async function waitAll(sides, done, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exited = sides.find((s) => s.guard.child.exitCode !== null);
    if (exited) throw new Error(`the ${exited.profile} guard exited (code ${exited.guard.child.exitCode}); see ${exited.guard.dir}/daemon.out`);
    if (sides.every(done)) return;
    if (Date.now() > deadline) throw new Error(`bench:harm: a phase did not end within ${timeoutMs / 1000} s`);
    await sleep(500);
  }
}

/** Waits until every guard has logged `n` more check records. */
export async function waitCycles(sides, n) {
  const base = sides.map((s) => readLog(s.guard.logFile).filter(isCheck).length);
  await waitAll(sides, (s) => readLog(s.guard.logFile).filter(isCheck).length >= base[sides.indexOf(s)] + n, n * 15_000 + 30_000);
}

// A quiet gap: the cycle in flight ends first (its records belong to what came before), then GAP_CYCLES cycles.
async function gap(sides) {
  const t = Date.now();
  await waitAll(sides, (s) => startsAfter(s, t) >= 1, 30_000);
  const startMs = Date.now();
  await waitCycles(sides, GAP_CYCLES);
  return { name: 'gap', kind: 'quiet', startMs, endMs: Date.now() };
}

/** The busy neighbour for `cycles` intervals (the same events for every side; each answer 50x slow with chance
 * `slowP`), then a quiet gap. */
export async function runNoise(sides, procfs, { cycles, seed, baseMs, slowP }) {
  const events = noiseSchedule({ cycles, intervalMs: INTERVAL_MS, seed });
  process.stderr.write(`  noise: ${cycles} intervals\n`);
  const pending = [];
  const fire = (e) => {
    if (e.kind === 'cpu') pending.push(cpuBurst(e.ms, owned.children));
    if (e.kind === 'mem') {
      procfs.pressure(true);
      pending.push(sleep(e.ms).then(() => procfs.pressure(false)));
    }
  };
  for (const s of sides) s.guard.child.kill('SIGUSR1'); // a fresh heal budget, as before each fault
  await sleep(500);
  await Promise.all(sides.map((s) => control(s.service.ports.control, `/noise?p=${slowP}&factor=50&seed=${seed}`)));
  const startMs = Date.now();
  const timers = events.map((e) => setTimeout(() => fire(e), e.atMs));
  await sleep(cycles * INTERVAL_MS);
  timers.forEach(clearTimeout);
  await Promise.all(pending);
  procfs.pressure(false);
  await Promise.all(sides.map((s) => control(s.service.ports.control, '/noise?p=0')));
  const noise = { name: 'noise', kind: 'noise', startMs, endMs: Date.now(), cpuBursts: events.filter((e) => e.kind === 'cpu').length, memEpisodes: events.filter((e) => e.kind === 'mem').length, slowP, baseMs };
  return [noise, await gap(sides)];
}

// One fault on every side at once: a fresh heal budget (SIGUSR1: a new hour), inject, wait, end it, a quiet gap.
async function runFault(sides, fault, stickyCycles) {
  process.stderr.write(`  fault: ${fault.name}\n`);
  for (const s of sides) s.guard.child.kill('SIGUSR1');
  await sleep(500);
  const startMs = Date.now();
  const query = `/fault?mode=${fault.mode}${fault.factor ? `&factor=${fault.factor}` : ''}`;
  await Promise.all(sides.map((s) => control(s.service.ports.control, query)));
  const healed = (s) => {
    const after = readLog(s.guard.logFile).filter((r) => r.ms >= startMs);
    const heal = after.find((r) => r.event === 'self_heal');
    return heal !== undefined && after.some((r) => serviceWell(r) && r.ms > heal.ms);
  };
  const limit = fault.sticky ? stickyCycles : FAULT_LIMIT_CYCLES;
  await waitAll(sides, (s) => (!fault.sticky && healed(s)) || startsAfter(s, startMs) >= limit, limit * 15_000 + 30_000);
  const phase = { name: fault.name, kind: 'fault', startMs, endMs: Date.now() };
  await Promise.all(sides.map((s) => control(s.service.ports.control, '/clear')));
  return [phase, await gap(sides)];
}

/** Every fault of FAULTS in turn. */
export async function runFaults(sides, { stickyCycles }) {
  const phases = [];
  for (const fault of FAULTS) phases.push(...(await runFault(sides, fault, stickyCycles)));
  return phases;
}
