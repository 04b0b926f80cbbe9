// `npm run eval:nab [-- --detector NAME[,NAME]] [--data DIR] [-c FILE] [--json]`: scores every registered
// detector (or the named ones) on the NAB corpus as the guard would run it, with NAB's published rules.
// The corpus is --data, else $NAB_DIR, else ../shared/nab from the working folder.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { GuardConfig } from '../config/config.js';
import { loadConfig, validateConfig } from '../config/load.js';
import { simOptionsFromConfig } from '../config/sim-options.js';
import type { GuardSimOptions } from '../core/detectors/simulate.js';
import { DETECTORS, findDetector } from '../core/detectors/registry.js';
import type { DetectorSpec } from '../core/detectors/types.js';
import { GuardError } from '../errors.js';
import { loadNabCorpus, type NabFile } from './nab/corpus.js';
import { detectorStreams, evaluateDetector, type DetectorEvaluation } from './nab/evaluate.js';
import { renderCategories, renderCounts, renderProfiles } from './nab/report.js';

const USAGE = 'usage: npm run eval:nab [-- --detector NAME[,NAME]] [--data DIR] [-c FILE] [--json]';

function pickDetectors(names: string | undefined): DetectorSpec[] | string {
  if (!names) return [...DETECTORS];
  const picked = names.split(',').map((n) => n.trim()).filter(Boolean);
  const unknown = picked.filter((n) => findDetector(n) === null);
  if (unknown.length > 0) return `unknown detector ${unknown.join(', ')}; choose from: ${DETECTORS.map((d) => d.name).join(', ')}`;
  return picked.map((n) => findDetector(n) as DetectorSpec);
}

async function configFor(file: string | undefined): Promise<GuardConfig> {
  if (file) return (await loadConfig({ file })).config;
  return validateConfig({}, { file: null, baseDir: process.cwd() }).config; // the built-in defaults, whatever is in the folder
}

function settingsLine(config: GuardConfig, o: GuardSimOptions): string {
  const d = o.detector;
  const h = config.heal;
  const backoff = h.backoff ? `backoff ${h.backoffMax} cycles / reset ${h.backoffResetMs / 60_000}m` : 'backoff off';
  return `${config.file ?? 'the built-in defaults'}: latency.window ${d.window}, sigma ${d.sigma}, min_samples ${d.minSamples}, min_stdev_ms ${d.minStdevMs}, confirm ${o.confirm.confirm} of ${o.confirm.of}; heal.cooldown ${h.cooldownMs / 1000}s, max_per_hour ${h.maxPerHour}, grace ${h.graceMs / 1000}s, ${backoff}`;
}

function render(dir: string, files: readonly NabFile[], settings: string, evals: DetectorEvaluation[], ms: number): string {
  const rows = files.reduce((a, f) => a + f.values.length, 0);
  const windows = files.reduce((a, f) => a + f.windows.length, 0);
  return [
    `NAB corpus ${dir}: ${files.length} files, ${windows} windows, ${rows} rows`,
    `settings (${settings})`,
    'each row a cycle: value = latency in ms, timestamp = cycle time. Normalised scores: null detector 0, perfect 100.',
    '',
    renderProfiles(evals),
    '',
    renderCounts(evals),
    '',
    'per category, standard profile (normalised over its own windows; raw where it has none):',
    renderCategories(evals),
    '',
    `took ${(ms / 1000).toFixed(1)} s`,
  ].join('\n');
}

/** Runs the evaluation; returns the exit status (0 done, 1 no corpus, 2 usage). */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { detector: { type: 'string' }, data: { type: 'string' }, config: { type: 'string', short: 'c' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) return (process.stdout.write(`${USAGE}\n`), 0);
  const detectors = pickDetectors(values.detector);
  if (typeof detectors === 'string') return (process.stderr.write(`eval-nab: ${detectors}\n`), 2);
  const dir = resolve(values.data ?? process.env.NAB_DIR ?? join(process.cwd(), '..', 'shared', 'nab'));
  if (!existsSync(join(dir, 'labels', 'combined_windows.json'))) {
    process.stderr.write(`eval-nab: no NAB corpus at ${dir} (labels/combined_windows.json is missing); give its folder with --data DIR or NAB_DIR=DIR\n`);
    return 1;
  }
  const started = performance.now();
  const config = await configFor(values.config);
  const opts = simOptionsFromConfig(config);
  const corpus = await loadNabCorpus(dir);
  if (!corpus.ok) return (process.stderr.write(`eval-nab: ${corpus.error}\n`), 1);
  const evals = detectors.map((spec) => evaluateDetector(spec.name, corpus.files, detectorStreams(corpus.files, spec, opts)));
  const ms = performance.now() - started;
  if (values.json) process.stdout.write(`${JSON.stringify({ dir, settings: opts, evaluations: evals.map(summary), ms: Math.round(ms) }, null, 2)}\n`);
  else process.stdout.write(`${render(dir, corpus.files, settingsLine(config, opts), evals, ms)}\n`);
  return 0;
}

/** The JSON form without per-file detail. */
function summary(e: DetectorEvaluation) {
  const brief = (s: DetectorEvaluation['profiles'][number]['swept']) => ({ ...s.total, key: undefined, threshold: s.threshold, raw: s.raw, normalised: s.normalised });
  return { detector: e.detector, profiles: e.profiles.map((p) => ({ profile: p.profile, swept: brief(p.swept), shipped: brief(p.shipped), noHeal: brief(p.noHeal) })), categories: e.categories };
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  const e = err as Error;
  process.stderr.write(`eval-nab: ${e instanceof GuardError ? [e.message, ...e.details].join('\n  ') : e.message}\n${USAGE}\n`);
  process.exitCode = err instanceof GuardError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
}
