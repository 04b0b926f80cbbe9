// Bundles the CLI into dist/ with esbuild, shaped for start-up time (a one-shot check is a cron job, and
// node loads one big file faster than the same code in many small ones):
// - dist/cli/main.js, the bin: a few lines that answer --version and pick which program to load;
// - dist/cli/check-main.js: everything `check` runs in one file, the YAML parser included (evaluated only
//   for a YAML config), the other commands left out;
// - dist/cli/report-main.js: everything `report` runs in one file (the scan's worker threads excepted), the
//   other commands left out;
// - dist/cli/program.js: every command, each in chunks loaded on demand (dist/chunks/), as are the daemon,
//   its HTTP server and dashboard assets, the forensics code and the YAML parser;
// - dist/demo/, dist/tools/: the demo's service and restart command, the NAB evaluation;
// - dist/http/read-worker.js: the worker thread that reads the log for the dashboard and the JSON API;
// - dist/forensics/scan-worker.js: a worker thread of report's scan of a large log;
// - dist/dashboard/: the dashboard page, its client bundled with uPlot for the browser.
// Whitespace and syntax are minified (less to parse at start-up); names are kept for stack traces.
// Run by `npm run build` and by npm's `prepare` (scripts/prepare.mjs).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';

// commander and prom-client are CommonJS: their require() of node: built-ins becomes an ESM import of the
// built-in (its default export is the module itself), so no bundle needs a createRequire banner.
// child_process is loaded on first use instead: commander requires it at the top for executable
// subcommands, which this CLI has none of (a check's heal and the daemon import it themselves), and node
// loads it with net, dgram and the streams: about 10 ms of CPU that `report` and the others would pay.
const LAZY_BUILTINS = new Set(['child_process', 'node:child_process']);
const builtinRequires = {
  name: 'builtin-requires',
  setup(b) {
    b.onResolve({ filter: /^[a-z0-9_:/]+$/ }, (a) => (a.kind === 'require-call' && isBuiltin(a.path) ? { path: a.path, namespace: 'builtin' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (a) => ({
      contents: LAZY_BUILTINS.has(a.path)
        ? `import { createRequire } from 'node:module';\nlet m;\nconst real = () => (m ??= createRequire('/')(${JSON.stringify(a.path)}));\nmodule.exports = new Proxy({}, { get: (_, k) => real()[k], has: (_, k) => k in real() });`
        : `import m from ${JSON.stringify(a.path)};\nmodule.exports = m;`,
      loader: 'js',
    }));
  },
};

// main.ts imports the three program bundles by their output names: leave those imports to run time.
const otherBundles = {
  name: 'other-bundles',
  setup(b) {
    b.onResolve({ filter: /^\.\/(program|check-main|report-main)\.js$/ }, (a) => (a.importer.endsWith('/src/cli/main.ts') ? { path: a.path, external: true } : undefined));
  },
};

// A one-command bundle runs only that command (main.ts loads it for nothing else): the other commands'
// modules, which program.ts imports on demand, are left out.
function onlyCommand(command, bundle) {
  return {
    name: `only-${command}`,
    setup(b) {
      b.onResolve({ filter: /^\.\/[a-z-]+\.js$/ }, (a) =>
        a.kind === 'dynamic-import' && a.importer.endsWith('/src/cli/program.ts') && a.path !== `./${command}.js` ? { path: a.path, namespace: 'left-out' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'left-out' }, (a) => ({
        contents: `export default async () => { throw new Error('${a.path} is not in the ${command} bundle (${bundle})'); };`,
        loader: 'js',
      }));
    },
  };
}

// A require() esbuild could not turn into an import would throw "Dynamic require ... is not supported" at
// run time, in ESM: stop the build instead.
async function buildNode(options) {
  const result = await build({ bundle: true, minifyWhitespace: true, minifySyntax: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked', outdir: 'dist', logLevel: 'warning', metafile: true, ...options });
  for (const file of Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'))) {
    const call = /\b__require\d*\((\s*[^)\s][^)]*)\)/.exec(readFileSync(file, 'utf8'));
    if (call) throw new Error(`${file}: require(${call[1]}) is left in the ESM bundle; make it an import (see builtinRequires)`);
  }
}

rmSync('dist', { recursive: true, force: true });
await buildNode({ entryPoints: { 'cli/main': 'src/cli/main.ts' }, plugins: [otherBundles] });
chmodSync('dist/cli/main.js', 0o755);
await buildNode({ entryPoints: { 'cli/check-main': 'src/cli/check-main.ts' }, plugins: [builtinRequires, onlyCommand('check', 'dist/cli/check-main.js')] });
await buildNode({ entryPoints: { 'cli/report-main': 'src/cli/report-main.ts' }, plugins: [builtinRequires, onlyCommand('report', 'dist/cli/report-main.js')] });
await buildNode({
  entryPoints: {
    'cli/program': 'src/cli/program.ts',
    'demo/service': 'src/demo/service-main.ts',
    'demo/restart': 'src/demo/restart-main.ts',
    'tools/eval-nab': 'src/tools/eval-nab.ts',
    // The daemon's log reads for the dashboard and API run in a worker thread (src/http/read-pool.ts).
    'http/read-worker': 'src/http/read-worker.ts',
    // report splits a large log across worker threads (src/forensics/scan-pool.ts).
    'forensics/scan-worker': 'src/forensics/scan-worker.ts',
  },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [builtinRequires],
});

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
