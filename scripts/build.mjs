// Bundles the CLI into dist/ with esbuild: one small entry plus lazily loaded chunks per command,
// so a one-shot `check` parses only what it runs (start-up speed is a feature of a cron job).
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';
import { copyFileSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { 'cli/main': 'src/cli/main.ts', 'demo/service': 'src/demo/service-main.ts', 'demo/restart': 'src/demo/restart-main.ts', 'tools/eval-nab': 'src/tools/eval-nab.ts', 'forensics/scan-worker': 'src/forensics/scan-worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  // commander is CommonJS: give bundled ESM chunks a real require for its node: built-ins.
  banner: { js: "import { createRequire as __agCreateRequire } from 'node:module'; const require = __agCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
chmodSync('dist/cli/main.js', 0o755);

// The dashboard page: its client bundled with uPlot for the browser (no CDN, nothing fetched at run time),
// its CSS with uPlot's, and the page and icon copied beside them in dist/dashboard (served by src/http).
await build({
  entryPoints: [
    { in: 'src/http/dashboard/client.ts', out: 'dashboard/app' },
    { in: 'src/http/dashboard/dashboard.css', out: 'dashboard/app' },
  ],
  outdir: 'dist',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  minify: true,
  legalComments: 'eof',
  logLevel: 'warning',
});
for (const file of ['index.html', 'icon.svg']) copyFileSync(`src/http/dashboard/${file}`, `dist/dashboard/${file}`);
