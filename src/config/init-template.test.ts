// The config `anomaly-guard init` writes: valid YAML, exactly the defaults, and every key of the schema.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INIT_TEMPLATE } from './init-template.js';
import { loadConfig, validateConfig } from './load.js';
import { PROFILE_DEFAULTS, profileKeyPaths } from './profiles.js';
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

  it('sets every key the schema has, at its place; the profile-dependent ones commented out, with both defaults', () => {
    const doc = parseDocument(INIT_TEMPLATE);
    const keys = configKeyPaths();
    const byProfile = new Set(profileKeyPaths());
    expect(keys.length).toBeGreaterThan(30);
    expect(keys.filter((key) => !byProfile.has(key) && !doc.hasIn(key.split('.')))).toEqual([]);
    for (const key of byProfile) {
      expect(doc.hasIn(key.split('.')), key).toBe(false);
      const [section, name] = key.split('.') as [string, string];
      const d = PROFILE_DEFAULTS;
      const shown = (profile: 'safe' | 'seed'): string => {
        const v = (d[profile] as unknown as Record<string, Record<string, unknown>>)[section]![name];
        return typeof v === 'number' && ['timeout', 'grace'].includes(name) ? `${v / 1000}s` : String(v);
      };
      const block = INIT_TEMPLATE.slice(INIT_TEMPLATE.indexOf(`\n${section}:`));
      expect(block, key).toMatch(new RegExp(`\\n  # ${name}: ${shown('safe')} +# \\(profile\\) ${shown('safe')} / ${shown('seed')}:`));
    }
  });
});
