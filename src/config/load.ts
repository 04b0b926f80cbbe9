// Config loading: find the file, read it, parse YAML/JSON, validate against the schema collecting every
// problem with its dotted key path, normalise (durations, paths), then the cross-field rules.
import { existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import * as v from 'valibot';
import { GuardError } from '../errors.js';
import type { GuardConfig } from './config.js';
import { normalise } from './normalise.js';
import { lineCol } from './line-col.js';
import { readConfigText } from './read-config.js';
import { fromIssue, inFileOrder, renderProblem, unknownKeys } from './problems.js';
import { configSchema, type RawConfig } from './schema.js';

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
  return validateConfig(raw, { file, baseDir: file === null ? cwd : dirname(file) });
}

/** Validates an already-parsed value as a config; throws GuardError(CONFIG_INVALID) with every problem. */
export function validateConfig(raw: unknown, where: { file: string | null; baseDir: string }): LoadedConfig {
  const label = where.file ?? 'the built-in defaults';
  const input = raw === null || raw === undefined ? {} : raw;
  const parsed = v.safeParse(configSchema, input);
  const problems = inFileOrder([...(parsed.success ? [] : parsed.issues.map(fromIssue)), ...unknownKeys(input)], input).map(renderProblem);
  if (!parsed.success) throw configInvalid(label, problems);
  // The cross-field rules need every key valid; they run when only unknown keys are wrong, too.
  const { config, errors, warnings } = normalise(parsed.output as unknown as RawConfig, where);
  if (problems.length + errors.length > 0) throw configInvalid(label, [...problems, ...errors]);
  return { config, warnings };
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
