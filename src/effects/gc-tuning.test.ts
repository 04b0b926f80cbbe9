import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DAEMON_V8_FLAGS, tuneDaemonGc } from './gc-tuning.js';

describe('tuneDaemonGc', () => {
  it('sets the daemon\'s V8 flags', () => {
    const set: string[] = [];
    tuneDaemonGc((flag) => set.push(flag));
    expect(set).toEqual(['--no-allocation-site-pretenuring']);
  });

  it('names flags this V8 knows (an unknown one would be ignored without a word)', () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    for (const flag of DAEMON_V8_FLAGS) expect(options).toContain(flag.replace(/^--no-/, '--'));
  });
});
