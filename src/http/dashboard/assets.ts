// The dashboard's files for the HTTP server, read once from dist/dashboard (built by scripts/build.mjs)
// and served from memory: '/' is the page, '/assets/…' its script, styles and icon.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One file the server answers with. */
export interface DashboardAsset {
  contentType: string;
  body: string | Buffer;
}

const FILES: [route: string, file: string, contentType: string][] = [
  ['/', 'index.html', 'text/html; charset=utf-8'],
  ['/assets/app.js', 'app.js', 'text/javascript; charset=utf-8'],
  ['/assets/app.css', 'app.css', 'text/css; charset=utf-8'],
  ['/assets/icon.svg', 'icon.svg', 'image/svg+xml'],
];

/** Where the built page is: beside this module's bundle (dist/cli, dist/chunks → dist/dashboard), or dist/ from the sources. */
export function dashboardDir(): string | null {
  const candidates = ['../dashboard/', '../../../dist/dashboard/'].map((rel) => fileURLToPath(new URL(rel, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'app.js'))) ?? null;
}

const cache = new Map<string, Map<string, DashboardAsset>>();

/** The page's files by route, read at first use and cached; without a build, '/' says to run it. */
export function dashboardAssets(dir: string | null = dashboardDir()): Map<string, DashboardAsset> {
  const key = dir ?? '';
  const cached = cache.get(key);
  if (cached) return cached;
  const assets = dir === null ? missingBuild() : readAssets(dir);
  cache.set(key, assets);
  return assets;
}

function readAssets(dir: string): Map<string, DashboardAsset> {
  const assets = new Map<string, DashboardAsset>();
  for (const [route, file, contentType] of FILES) {
    const body = readFileSync(join(dir, file));
    assets.set(route, { contentType, body: contentType.startsWith('image/') ? body : body.toString('utf8') });
  }
  return assets;
}

function missingBuild(): Map<string, DashboardAsset> {
  const body = '<!doctype html><html lang="en"><meta charset="utf-8"><title>anomaly-guard</title><p>The dashboard is not built: run <code>npm run build</code>. The JSON API under /api/ works without it.</p></html>\n';
  return new Map([['/', { contentType: 'text/html; charset=utf-8', body }]]);
}
