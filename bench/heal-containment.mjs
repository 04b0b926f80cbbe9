// `npm run bench:heal`: what containment adds to one heal run. Runs `/bin/true` through the real process
// runner, interleaved: uncontained (as before), in a cgroup of its own (where this host offers one), and in
// the process group only (its leftovers found by a scan of /proc). Prints the median wall time of each,
// and its ratio to the uncontained run measured in the same rounds.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 41;
const dir = mkdtempSync(join(tmpdir(), 'ag-bench-heal-'));
try {
  const out = join(dir, 'runner.mjs');
  const src = (p) => fileURLToPath(new URL(`../src/effects/${p}`, import.meta.url));
  buildSync({ stdin: { contents: `export * from '${src('process-runner.ts')}'; export * from '${src('containment.ts')}';`, resolveDir: dir, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'silent' });
  const { nodeProcessRunner, healContainment } = await import(out);
  const clock = { monoMs: () => performance.now() };
  const rows = {
    uncontained: { run: nodeProcessRunner({ clock }), contain: false },
    cgroup: { run: nodeProcessRunner({ clock, containment: healContainment() }), contain: true },
    process_group: { run: nodeProcessRunner({ clock, containment: healContainment({ cgroups: false }) }), contain: true },
  };
  const times = Object.fromEntries(Object.keys(rows).map((k) => [k, []]));
  const kinds = {};
  for (let i = -1; i < runs; i++) {
    for (const [name, row] of Object.entries(rows)) {
      const t0 = performance.now();
      const r = await row.run({ argv: ['/bin/true'], input: '', timeoutMs: 10_000, killGraceMs: 100, contain: row.contain });
      if (r.exitCode !== 0) throw new Error(`${name}: /bin/true exited ${r.exitCode} ${r.error ?? ''}`);
      kinds[name] = r.containment?.kind ?? 'none';
      if (i >= 0) times[name].push(performance.now() - t0); // round -1 warms up
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(times.uncontained);
  for (const [name, xs] of Object.entries(times)) {
    console.log(`${name.padEnd(14)} (${kinds[name].padEnd(13)}) median ${median(xs).toFixed(2)} ms  ×${(median(xs) / base).toFixed(2)}  (${xs.length} runs)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
