// The busy neighbour of `npm run bench:harm`: a seeded noise schedule, real CPU bursts (a busy loop in one child
// process per core), and memory pressure shown through a bench-owned procfs folder (resources.procfs) whose
// `stat` is the real /proc/stat and whose `meminfo` is the real one or, during pressure, a copy with
// MemAvailable rewritten to a few percent of MemTotal. Nothing is allocated: see bench/README.md#do-no-harm.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../gen-log.mjs';

/** Per interval slot: the chance of a CPU burst and of a memory-pressure episode starting. (Single slow answers are
 * a chance per answer, drawn by the service: POST /noise.) */
export const NOISE_RATES = { cpu: 0.35, mem: 0.03 };

/** The noise events of `cycles` interval slots, in time order: {atMs, kind: cpu|mem, ms}. Same seed, same events. */
export function noiseSchedule({ cycles, intervalMs, seed }) {
  const random = mulberry32(seed);
  const events = [];
  let memFreeAt = 0;
  for (let slot = 0; slot < cycles; slot++) {
    const slotMs = slot * intervalMs;
    const at = () => Math.round(slotMs + random() * intervalMs);
    if (random() < NOISE_RATES.cpu) events.push({ atMs: at(), kind: 'cpu', ms: Math.round(1000 + random() * 1000) });
    if (slotMs >= memFreeAt && random() < NOISE_RATES.mem) {
      const ms = Math.round((2 + random() * 2) * intervalMs);
      events.push({ atMs: slotMs, kind: 'mem', ms });
      memFreeAt = slotMs + ms + intervalMs;
    }
  }
  return events.sort((a, b) => a.atMs - b.atMs);
}

const BUSY = 'const end = Date.now() + Number(process.argv[1]); while (Date.now() < end);';

/** 100 % of every core for `ms`: one busy-looping child per core. Resolves when all have exited. */
export function cpuBurst(ms, children) {
  const n = os.availableParallelism();
  return Promise.all(Array.from({ length: n }, () => {
    const child = spawn(process.execPath, ['-e', BUSY, String(ms)], { stdio: 'ignore' });
    children.add(child);
    return new Promise((resolve) => child.once('exit', () => resolve(children.delete(child))));
  }));
}

/** A procfs folder for resources.procfs: stat → /proc/stat; meminfo → /proc/meminfo until pressure(true). */
export function fakeProcfs(dir) {
  const root = path.join(dir, 'procfs');
  fs.mkdirSync(root);
  fs.symlinkSync('/proc/stat', path.join(root, 'stat'));
  const meminfo = path.join(root, 'meminfo');
  const tmp = path.join(root, '.meminfo.tmp');
  const swap = (make) => {
    fs.rmSync(tmp, { force: true });
    make(tmp);
    fs.renameSync(tmp, meminfo); // atomic: a reader sees the old or the new file, never half of one
  };
  swap((p) => fs.symlinkSync('/proc/meminfo', p));
  return {
    root,
    /** On: meminfo shows `usedPct` % used (MemAvailable rewritten); off: the real /proc/meminfo again. */
    pressure(on, usedPct = 96) {
      if (!on) return swap((p) => fs.symlinkSync('/proc/meminfo', p));
      const real = fs.readFileSync('/proc/meminfo', 'utf8');
      const totalKb = Number(/^MemTotal:\s+(\d+)/m.exec(real)?.[1]);
      const availKb = Math.round((totalKb * (100 - usedPct)) / 100);
      return swap((p) => fs.writeFileSync(p, real.replace(/^MemAvailable:\s+\d+ kB$/m, `MemAvailable:   ${availKb} kB`)));
    },
  };
}
