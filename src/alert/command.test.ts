import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeProcessRunner } from '../effects/process-runner.js';
import type { AnomalyTriggerRecord } from '../log/records.js';
import { runAlertCommand } from './command.js';

const scripts = fileURLToPath(new URL('../../test/fixtures/scripts/', import.meta.url));
const node = process.execPath;
const runner = nodeProcessRunner({ clock: { monoMs: () => performance.now() } });
const trigger: AnomalyTriggerRecord = {
  event: 'anomaly_trigger',
  ts: '2025-10-21T08:35:00.123456Z',
  reasons: ['health_unhealthy (HTTP 503)'],
  latency: 12.5,
  score: null,
  cpu: 10.1,
  mem: 20.2,
  disk: 30.3,
};
describe('runAlertCommand', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ag-alert-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the command the record as JSON on stdin', async () => {
    const out = join(dir, 'stdin.json');
    const result = await runAlertCommand(trigger, { command: [node, join(scripts, 'record-stdin.mjs'), out], timeoutMs: 30_000 }, { runner });
    expect(result).toEqual({ channel: 'command', ok: true, detail: null });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(trigger);
  });

  // Only the hanging command meets its timeout; the others get all the time a loaded machine needs to start Node.
  const failures: Array<[string, string[], number, (d: string) => string]> = [
    ['a failing command', [node, join(scripts, 'exit-code.mjs'), '3'], 30_000, () => 'alert command exited with code 3: failing with 3'],
    ['a hanging command', ['/bin/sh', join(scripts, 'hang.sh')], 300, () => 'alert command timed out after 300 ms'],
    ['a missing command', ['/nonexistent/notify-send'], 30_000, () => 'alert command: command not found: /nonexistent/notify-send'],
  ];
  it.each(failures)('reports %s as ok:false with a one-line detail', async (_name, command, timeoutMs, detail) => {
    const result = await runAlertCommand(trigger, { command, timeoutMs }, { runner });
    expect(result).toEqual({ channel: 'command', ok: false, detail: detail(dir) });
  });
});
