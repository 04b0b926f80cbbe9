// Start-up rebuild of every target's state from its log, as the daemon does it at a target's first cycle:
// the config loaded (src/config/load.ts), then for each target a history follower (src/daemon/history-follower.ts) reads
// its log's tail backwards (src/cycle/read-history.ts). Bundled from src with esbuild so it runs the real code.
// Usage: node bench/scale/rebuild.mjs CONFIG  -> one JSON line {targets, loadS, rebuildS, rssMB}
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const entry = `
import { loadConfig } from ${JSON.stringify(join(SRC, 'config/load.ts'))};
import { readHistory } from ${JSON.stringify(join(SRC, 'cycle/read-history.ts'))};
import { historyFollower } from ${JSON.stringify(join(SRC, 'daemon/history-follower.ts'))};
import { systemClock } from ${JSON.stringify(join(SRC, 'effects/clock.ts'))};
export async function main(file) {
  const t0 = performance.now();
  const { config } = await loadConfig({ file });
  const t1 = performance.now();
  const clock = systemClock();
  const units = config.targets.length > 0 ? config.targets : [config];
  let checks = 0;
  for (const unit of units) {
    const follower = historyFollower(unit.logFile);
    const { history } = readHistory(unit, { clock, log: null, history: (needs) => follower.read(needs) });
    checks += history.window.length;
  }
  const t2 = performance.now();
  return { targets: units.length, loadS: (t1 - t0) / 1000, rebuildS: (t2 - t1) / 1000, windowValues: checks, rssMB: process.memoryUsage().rss / 2 ** 20 };
}`;
const dir = mkdtempSync(join(tmpdir(), 'ag-rebuild-'));
try {
  const out = join(dir, 'rebuild-entry.mjs');
  await build({ stdin: { contents: entry, resolveDir: SRC, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'error',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
  const { main } = await import(pathToFileURL(out).href);
  const r = await main(process.argv[2]);
  console.log(JSON.stringify({ ...r, loadS: Math.round(r.loadS * 100) / 100, rebuildS: Math.round(r.rebuildS * 100) / 100, rssMB: Math.round(r.rssMB) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
