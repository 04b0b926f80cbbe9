// Config loading: find the file, read it, parse YAML/JSON, validate against the schema collecting every
// problem with its dotted key path, normalise (durations, paths), then the cross-field rules.
import { shareAlike } from './share-alike.js';
import { existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import * as v from 'valibot';
import { GuardError } from '../errors.js';
import type { GuardConfig } from './config.js';
import { normalise } from './normalise.js';
import { lineCol } from './line-col.js';
import { readConfigText } from './read-config.js';
import { fromIssue, inFileOrder, renderProblem, unknownKeys } from './problems.js';
import { configSchema, DEFAULT_LOG_FILE, type RawConfig } from './schema.js';
import { readIncludes } from './include.js';
import { fileFacts, type FileFacts } from './file-facts.js';
import { targetDocs, targetLogFile, type TargetDoc, type WrittenTarget } from './targets.js';

/** The result of a successful load: the config and the warnings that did not stop it. */
export interface LoadedConfig {
  config: GuardConfig;
  warnings: string[];
}

const DEFAULT_NAMES = ['anomaly-guard.yaml', 'anomaly-guard.yml', 'anomaly-guard.json'];

/** Finds the config file: -c FILE, else $ANOMALY_GUARD_CONFIG, else ./anomaly-guard.yaml|yml|json, else none. */
export function findConfigFile(explicit: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string | null {
  const given = explicit ?? (env.ANOMALY_GUARD_CONFIG || undefined);
  if (given !== undefined) {
    const path = resolve(cwd, given);
    if (!existsSync(path)) {
      const origin = explicit !== undefined ? '-c' : '$ANOMALY_GUARD_CONFIG';
      throw new GuardError('CONFIG_NOT_FOUND', `config file ${path} (from ${origin}) does not exist`, {
        hint: 'create it with `anomaly-guard init FILE` or fix the path',
      });
    }
    return path;
  }
  for (const name of DEFAULT_NAMES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  return null;
}

/** Loads, validates and normalises the config; throws GuardError listing every problem. */
export async function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<LoadedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const file = findConfigFile(opts.file, opts.env ?? process.env, cwd);
  const raw = file === null ? {} : await parseConfigFile(file);
  const baseDir = file === null ? cwd : dirname(file);
  const included = await readIncludes(raw, baseDir, parseConfigFile);
  return validateConfig(raw, { file, baseDir }, included);
}

/** Validates an already-parsed value as a config; throws GuardError(CONFIG_INVALID) with every problem.
 * `included` are the targets read from `include:` files (loadConfig reads them). */
export function validateConfig(raw: unknown, where: { file: string | null; baseDir: string }, included: { targets: WrittenTarget[]; problems: string[] } = { targets: [], problems: [] }): LoadedConfig {
  const label = where.file ?? 'the built-in defaults';
  const input = raw === null || raw === undefined ? {} : raw;
  const top = checkDocument(input, where);
  const problems = [...top.problems, ...included.problems];
  // Targets are checked even when the top level has problems: theirs are said in the same run.
  const logFile = top.raw?.log_file ?? (typeof (input as { log_file?: unknown }).log_file === 'string' ? String((input as { log_file: string }).log_file) : DEFAULT_LOG_FILE);
  const targets = validateTargets(input as Record<string, unknown>, logFile, included.targets, where, top);
  problems.push(...targets.problems);
  if (top.config === null || problems.length > 0) throw configInvalid(label, problems);
  return { config: { ...top.config, targets: targets.configs }, warnings: [...top.warnings, ...targets.warnings] };
}

interface Checked {
  config: GuardConfig | null;
  raw: RawConfig | null;
  problems: string[];
  warnings: string[];
}

// One document (the top level, or a target's merged document) through the schema and the cross-field rules.
function checkDocument(input: unknown, where: { file: string | null; baseDir: string; facts?: FileFacts }): Checked {
  const parsed = v.safeParse(configSchema, input);
  const problems = inFileOrder([...(parsed.success ? [] : parsed.issues.map(fromIssue)), ...unknownKeys(input)], input).map(renderProblem);
  if (!parsed.success) return { config: null, raw: null, problems, warnings: [] };
  // The cross-field rules need every key valid; they run when only unknown keys are wrong, too.
  const raw = parsed.output as unknown as RawConfig;
  const { config, errors, warnings } = normalise(raw, where);
  return { config, raw, problems: [...problems, ...errors], warnings };
}

// Each target checked as a config of its own; a problem it only inherits is the top level's, said once.
function validateTargets(input: Record<string, unknown>, logFile: string, included: WrittenTarget[], where: { file: string | null; baseDir: string }, said: Checked): { configs: GuardConfig[]; problems: string[]; warnings: string[] } {
  const written: WrittenTarget[] = [];
  const problems: string[] = [];
  if (Array.isArray(input.targets)) written.push(...input.targets.map((item) => ({ item, from: null })));
  else if (input.targets !== undefined && input.targets !== null) problems.push(`targets: is not a list; give a list of targets, each with a name, e.g. "targets: [{name: api, health: {url: http://127.0.0.1:8080/health}}]"`);
  written.push(...included);
  const { docs, problems: nameProblems } = targetDocs(input, written);
  problems.push(...nameProblems);
  const configs: GuardConfig[] = [];
  const warnings: string[] = [];
  const shared = { ...where, facts: fileFacts() }; // the targets' files are checked once per path
  for (const d of docs) {
    const checked = checkDocument({ ...d.doc, log_file: targetLogFile(logFile, d.name) }, shared);
    problems.push(...ownLines(checked.problems, d, said.problems));
    warnings.push(...ownLines(checked.warnings, d, said.warnings));
    if (checked.config !== null) configs.push({ ...checked.config, target: d.name });
  }
  warnings.push(...sharedTargetWarnings(configs));
  if (problems.length === 0) shareAlike(configs);
  return { configs, problems, warnings };
}

// A target's lines, prefixed with its name; those the top level already said (inherited) are left out.
function ownLines(lines: string[], d: TargetDoc, topLines: string[]): string[] {
  const where = d.from === null ? '' : ` (in ${d.from})`;
  return lines.filter((line) => !topLines.includes(line)).map((line) => `${d.label}.${line}${where}`);
}

// Two targets that restart with one command, or probe one URL, are most likely a copy-paste slip.
function sharedTargetWarnings(configs: GuardConfig[]): string[] {
  const warnings: string[] = [];
  const byKey = (key: (c: GuardConfig) => string, what: string): void => {
    const seen = new Map<string, string>();
    for (const c of configs) {
      const k = key(c);
      if (k === '' || k === '[]') continue;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, c.target ?? '');
      else warnings.push(`targets[${c.target}]: ${what} as targets[${first}]; is that meant?`);
    }
  };
  byKey((c) => JSON.stringify(c.heal.command), 'runs the same heal.command (a fault in one would restart the other\'s service too)');
  byKey((c) => c.health.url, 'probes the same health.url');
  return warnings;
}

function configInvalid(label: string, problems: string[]): GuardError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new GuardError('CONFIG_INVALID', `config ${label} has ${count}`, {
    details: problems,
    hint: 'fix the keys above; `anomaly-guard init` writes a commented config with every key and default',
  });
}

async function parseConfigFile(file: string): Promise<unknown> {
  const text = readConfigText(file);
  if (extname(file).toLowerCase() === '.json') return parseJson(file, text);
  const { parseYamlConfig } = await import('./parse-yaml.js');
  return parseYamlConfig(file, text);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 may quote part of the file (it may hold a secret): keep only the reason, and place it by line.
    const message = (err as Error).message;
    const pos = /at position (\d+)/.exec(message);
    const what = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ (in JSON )?at position \d+.*$/s, '');
    const at = pos ? ` at ${lineCol(text, Number(pos[1]))}` : '';
    throw new GuardError('CONFIG_SYNTAX', `config ${file}: JSON syntax error${at}: ${what}`, { hint: 'fix the JSON (or write the config as YAML)' });
  }
}
