// `anomaly-guard report --jobs N` through the built CLI: the same report on one thread or many (worker
// threads reading parts of the files), equal to the JSON.parse reader's; a bad --jobs; progress on a
// terminal while workers read.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reportJson } from '../../src/forensics/report-json.js';
import { CLI, runCli } from '../helpers/guard-env.js';
import { corpusLines, referenceScan, writeLog } from '../helpers/log-corpus.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function setup(): { config: string; log: string } {
  dir = mkdtempSync(join(tmpdir(), 'ag-threads-'));
  const config = join(dir, 'guard.json');
  writeFileSync(config, JSON.stringify({ log_file: 'guard.ndjson' }));
  return { config, log: join(dir, 'guard.ndjson') };
}

describe('report --jobs', () => {
  it('gives the same report on 1, 2 and 5 threads, and the JSON.parse reader gives it too', async () => {
    const { config, log } = setup();
    const lines = corpusLines(11, 4000, 0.05);
    const files = writeLog(dir, [
      { name: 'guard.ndjson.2.gz', lines: lines.slice(0, 1200) },
      { name: 'guard.ndjson.1', lines: lines.slice(1200, 2600) },
      { name: 'guard.ndjson', lines: lines.slice(2600), tail: Buffer.from('{"ts":"2025-10-30T00:00:00.000000Z","lat":{"lat') },
    ]);
    const runs = await Promise.all(['1', '2', '5'].map((jobs) => runCli(['report', '--json', '--jobs', jobs, '-c', config])));
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const [one, two, five] = runs.map((r) => JSON.parse(r.stdout));
    expect(two).toEqual(one);
    expect(five).toEqual(one);
    const range = { sinceMs: null, untilMs: null };
    expect(one).toEqual(JSON.parse(JSON.stringify(reportJson(log, await referenceScan(files, range)))));
    expect(one.checks).toBeGreaterThan(3500);
  });

  it('reads a --since range on threads as on one', async () => {
    const { config } = setup();
    writeLog(dir, [{ name: 'guard.ndjson', lines: corpusLines(12, 3000, 0.05) }]);
    const args = ['report', '--json', '--since', '2025-10-25T00:00:00Z', '--until', '2025-10-29T12:00:00Z', '-c', config];
    const [one, three] = await Promise.all([runCli([...args, '--jobs', '1']), runCli([...args, '--jobs', '3'])]);
    expect(JSON.parse(three.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(one.stdout).checks).toBeGreaterThan(1000);
  });

  it.each(['0', '-1', '1.5', 'many'])('--jobs %s is a usage error (exit 2)', async (jobs) => {
    const { config } = setup();
    writeLog(dir, [{ name: 'guard.ndjson', lines: corpusLines(13, 10) }]);
    const run = await runCli(['report', '--jobs', jobs, '-c', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`anomaly-guard report: --jobs ${jobs} is not a number of threads`);
    expect(run.stderr).toMatch(/^hint: use a whole number of 1 or more/m);
  });
});

// Runs the CLI on a pseudo-terminal (script(1)), where report draws its progress line.
function onTerminal(args: string[]): Promise<string> {
  const command = ['node', CLI, ...args].map((a) => `'${a}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile('script', ['-qefc', command, '/dev/null'], { maxBuffer: 1 << 26 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

describe('report: progress while threads read', () => {
  it('draws the progress line on a terminal for a log over 50 MB and erases it before the report', async () => {
    const { config } = setup();
    const [file] = writeLog(dir, [{ name: 'guard.ndjson', lines: corpusLines(14, 180_000, 0) }]);
    expect(file?.bytes).toBeGreaterThan(50e6);
    const out = await onTerminal(['report', '--jobs', '2', '-c', config]);
    expect(out).toMatch(/\rreport: \d+\.\d \/ \d+\.\d MB \(\d+ %\)/);
    expect(out).toContain('\r\x1b[K');
    expect(out.slice(out.lastIndexOf('\x1b[K'))).toMatch(/span {10}\S+Z → \S+Z/);
  }, 120_000);
});
