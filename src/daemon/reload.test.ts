// A reload refused for a bad health condition is one scheduler.log line: the problem, not its caret display.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import { reloadConfig, reloadLine } from './reload.js';

const BAD = fileURLToPath(new URL('../../test/fixtures/config-invalid/conditions-bad.yaml', import.meta.url));

describe('reloadLine', () => {
  it('keeps a bad condition to the first line of its problem', async () => {
    const { config } = await loadConfig({ env: {}, cwd: '/' });
    const result = await reloadConfig(config, () => loadConfig({ file: BAD, env: {} }));
    const line = reloadLine(result, BAD);
    expect(line).not.toContain('\n');
    expect(line).toContain(`has 4 problems: health.conditions[1]: unknown placeholder [STAUTS]; use one of`);
    expect(line).toContain('(character 1); health.conditions[2]: put a space on each side of ==');
  });
});
