// `npm run bench:detectors`: every registered detector on the seeded synthetic latency suite, through the
// guard's heal policy (the default config: confirm 1 of 1, cooldown 0, max_per_hour 6), and its cost per
// sample. Bundles src/core/detectors with esbuild first (no dist/ needed). Flags: --seeds N (default 3), --json.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { SCENARIOS, rng } from './scenarios.mjs';

const { values: args } = parseArgs({ options: { seeds: { type: 'string', default: '3' }, json: { type: 'boolean' } } });
const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'ag-bench-det-'));
try {
  await build({ stdin: { contents: "export * from './src/core/detectors/registry.ts'; export * from './src/core/detectors/simulate.ts';", resolveDir: root, loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', outfile: join(tmp, 'd.mjs'), logLevel: 'warning' });
  const { DETECTORS, simulateGuard } = await import(pathToFileURL(join(tmp, 'd.mjs')).href);
  const opts = { detector: { window: 50, sigma: 3, minSamples: 10, minStdevMs: 0.5 }, confirm: { confirm: 1, of: 1 }, heal: { cooldownMs: 0, maxPerHour: 6 } };
  const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => i + 1);
  const results = DETECTORS.map((spec) => ({ detector: spec.name, scenarios: SCENARIOS.map((sc) => runScenario(spec, sc)), nsPerSample: cost(spec) }));
  if (args.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else print(results);

  function runScenario(spec, sc) {
    let days = 0, falseTriggers = 0, caught = 0, total = 0;
    const delays = [];
    for (const seed of seeds) {
      const { values, stalls } = sc.build(seed);
      const rows = simulateGuard(values, values.map((_, i) => i * 300_000), spec, opts);
      days += values.length / 288;
      const inStall = (i) => stalls.some((s) => i >= s.start && i < s.start + s.len);
      rows.forEach((r, i) => { if (r.trigger && !inStall(i) && i >= 288) falseTriggers++; });
      for (const s of stalls) {
        total++;
        const hit = rows.findIndex((r, i) => r.trigger && i >= s.start && i < s.start + s.len);
        if (hit >= 0) { caught++; delays.push((hit - s.start) * 5); }
      }
    }
    delays.sort((a, b) => a - b);
    return { scenario: sc.name, falsePerDay: falseTriggers / days, caught, total, medianDelayMin: delays.length ? delays[Math.floor(delays.length / 2)] : null };
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/** Nanoseconds per update() over 1,000,000 lognormal samples (after a 20,000-sample warm-up). */
function cost(spec) {
  const u = rng(42);
  const xs = Float64Array.from({ length: 1_000_000 }, () => 40 * Math.exp(0.3 * Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u())));
  const d = spec.create({ window: 50, sigma: 3, minSamples: 10, minStdevMs: 0.5 });
  for (let i = 0; i < 20_000; i++) d.update(xs[i]);
  const t0 = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < xs.length; i++) sink += d.update(xs[i]).score;
  const ns = Number(process.hrtime.bigint() - t0) / xs.length;
  return sink >= 0 ? Math.round(ns) : -1;
}

function print(results) {
  const lines = [`synthetic latency suite: 30 days at 5-minute cycles × ${args.seeds} seeds per scenario; triggers through the default heal policy`];
  for (const r of results) {
    lines.push('', `${r.detector}  (${r.nsPerSample} ns/sample)`);
    for (const s of r.scenarios) {
      const stall = s.total ? `  stalls caught ${s.caught}/${s.total}, median delay ${s.medianDelayMin ?? '-'} min` : '';
      lines.push(`  ${s.scenario.padEnd(36)} false triggers/day ${s.falsePerDay.toFixed(3).padStart(6)}${stall}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
