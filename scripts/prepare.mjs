// npm's `prepare`: builds dist/ (scripts/build.mjs). npm runs it after `npm install` / `npm ci` in a
// checkout, before `npm pack` / `npm publish` pack the folder, and for `npm install -g <folder>`, which
// links the folder and runs it WITHOUT installing any of the folder's dependencies. The build needs
// esbuild and the libraries it bundles (all devDependencies: dist/ is self-contained), so when they are
// missing this installs exactly what package-lock.json pins first (`npm ci`, no install scripts).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

// Where the npm that runs this script lives (set by npm for scripts); else `npm` on PATH.
const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];

// npm passes its own settings to scripts as npm_config_* variables; for the install below keep only
// those that say where and how to fetch (registry, proxy, TLS, cache), not what the outer command was
// (-g, --prefix, --dry-run, --omit=dev, ...).
const FETCH_SETTING = /^npm_config_(registry|@[^:]+:registry|cache|userconfig|globalconfig|(https_|http_)?proxy|noproxy|no_proxy|strict_ssl|cafile|ca|offline|prefer_offline|prefer_online|fetch_.*)$/i;

function haveBuildTools() {
  try {
    createRequire(`${root}package.json`).resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

function installLocked() {
  process.stderr.write(`anomaly-guard: the build tools are not installed in ${root}; installing them from package-lock.json (npm ci)\n`);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_/i.test(k) || FETCH_SETTING.test(k)));
  const args = ['ci', '--include=dev', '--include=optional', '--ignore-scripts', '--no-audit', '--no-fund', '--global=false', '--prefix', root];
  const run = spawnSync(npm[0], [...npm.slice(1), ...args], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] });
  if (run.status !== 0) {
    const why = run.error ? run.error.message : `exited ${run.status ?? run.signal}`;
    process.stderr.write(`anomaly-guard: npm ci ${why}; in ${root} run \`npm ci\`, then \`npm run build\`\n`);
    process.exit(1);
  }
}

if (!haveBuildTools()) installLocked();
await import('./build.mjs');
