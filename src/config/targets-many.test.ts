// A config of 2,000 targets: the file checks shared between targets (one scheduler_log, one log folder) still name
// each target's own bad path with its name, exactly as a config of one such target does.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GuardError } from '../errors.js';
import { loadConfig } from './load.js';
import { targetLogFile } from './targets.js';

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ag-targets-many-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const name = (i: number): string => `t${String(i).padStart(4, '0')}`;
const LOG = (): string => join(tmp, 'logs', 'guard.ndjson');

function configOf(names: string[]): string {
  const file = join(tmp, `guard-${names.length}.json`);
  const targets = names.map((n) => ({ name: n, health: { url: `http://127.0.0.1:9/${n}` } }));
  writeFileSync(file, JSON.stringify({ log_file: LOG(), scheduler_log: join(tmp, 'logs', 'scheduler.log'), targets }));
  return file;
}

async function problemsOf(file: string): Promise<string[]> {
  try {
    await loadConfig({ file, env: {} });
  } catch (err) {
    if (err instanceof GuardError) return err.details;
    throw err;
  }
  throw new Error('the config was valid');
}

describe('a config of 2,000 targets', () => {
  it('loads every target with its own log file', async () => {
    mkdirSync(join(tmp, 'logs'));
    const names = Array.from({ length: 2000 }, (_, i) => name(i));
    const { config } = await loadConfig({ file: configOf(names), env: {} });
    expect(config.targets.map((t) => [t.target, t.logFile])).toEqual(names.map((n) => [n, targetLogFile(LOG(), n)]));
  });

  it('names each target whose log path is bad, as a config of that one target does', async () => {
    mkdirSync(join(tmp, 'logs'));
    const names = Array.from({ length: 2000 }, (_, i) => name(i));
    mkdirSync(targetLogFile(LOG(), name(1500)));
    writeFileSync(join(tmp, 'real.ndjson'), '');
    symlinkSync(join(tmp, 'real.ndjson'), targetLogFile(LOG(), name(700)));
    const many = await problemsOf(configOf(names));
    const alone = [...(await problemsOf(configOf([name(700)]))), ...(await problemsOf(configOf([name(1500)])))];
    expect(alone).toHaveLength(2);
    expect(alone[0]).toMatch(/^targets\[t0700\]\.log_file: /);
    expect(alone[1]).toMatch(/^targets\[t1500\]\.log_file: /);
    expect(many).toEqual(alone);
  });
});
