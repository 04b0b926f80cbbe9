// Config loading: find the file, read it, parse YAML/JSON, validate against the schema collecting every
// problem with its dotted key path, normalise (durations, paths), then the cross-field rules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import * as v from 'valibot';
import { GuardError } from '../errors.js';
import type { GuardConfig } from './config.js';
import { normalise } from './normalise.js';
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
  if (!parsed.success) {
    const problems = parsed.issues.map((issue) => `${issuePath(issue) || '(top level)'}: ${issue.message}`);
    throw configInvalid(label, problems);
  }
  const { config, errors, warnings } = normalise(parsed.output as unknown as RawConfig, where);
  if (errors.length > 0) throw configInvalid(label, errors);
  return { config, warnings };
}

function configInvalid(label: string, problems: string[]): GuardError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new GuardError('CONFIG_INVALID', `config ${label} has ${count}`, {
    details: problems,
    hint: 'fix the keys above; `anomaly-guard init` writes a commented config with every key and default',
  });
}

function issuePath(issue: v.BaseIssue<unknown>): string {
  return (issue.path ?? []).map((item) => String((item as { key: unknown }).key)).join('.');
}

async function parseConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new GuardError('CONFIG_UNREADABLE', `cannot read config ${file}: ${code}`, { hint: 'check the path and its permissions' });
  }
  if (extname(file).toLowerCase() === '.json') return parseJson(file, text);
  return parseYaml(file, text);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new GuardError('CONFIG_SYNTAX', `config ${file}: JSON syntax error: ${(err as Error).message}`, {
      hint: 'fix the JSON (or write the config as YAML)',
    });
  }
}

async function parseYaml(file: string, text: string): Promise<unknown> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = first.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const what = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    throw new GuardError('CONFIG_SYNTAX', `config ${file}: YAML syntax error${at}: ${what}`, {
      hint: 'fix the YAML at that line (indent with spaces, quote values that contain ": ")',
    });
  }
  return doc.toJS();
}
