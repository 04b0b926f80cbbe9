// The config `anomaly-guard init` writes: valid YAML, exactly the defaults, and every key of the schema.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INIT_TEMPLATE } from './init-template.js';
import { loadConfig, validateConfig } from './load.js';
import { configKeyPaths } from './schema.js';

describe('INIT_TEMPLATE', () => {
  it('parses as YAML without errors or warnings', () => {
    const doc = parseDocument(INIT_TEMPLATE, { uniqueKeys: true });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it('validates to exactly the config of no file at all', () => {
    const where = { file: null, baseDir: '/srv/guard' };
    expect(validateConfig(parse(INIT_TEMPLATE), where)).toEqual(validateConfig(undefined, where));
  });

  it('written to a file and loaded, it is the defaults (only `file` differs)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-init-'));
    try {
      const file = join(dir, 'anomaly-guard.yaml');
      writeFileSync(file, INIT_TEMPLATE);
      const fromFile = await loadConfig({ file, env: {} });
      const none = await loadConfig({ env: {}, cwd: dir });
      expect(fromFile).toEqual({ ...none, config: { ...none.config, file } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sets every key the schema has, at its place', () => {
    const doc = parseDocument(INIT_TEMPLATE);
    const keys = configKeyPaths();
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((key) => !doc.hasIn(key.split('.')))).toEqual([]);
  });
});
