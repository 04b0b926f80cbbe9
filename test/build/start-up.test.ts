// What the built CLI loads to start: --version only its entry, a one-shot check one more file (whatever
// the config's format), a report of a plain log on one thread one more file, any other command the program
// and its chunks but not the daemon, HTTP server, dashboard or forensics code.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardEnv, runCli, SCRIPTS, type CliRun } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';

const DIST = resolve('dist');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

let server: HealthServer;
let dir: string;
beforeAll(async () => {
  server = await startHealthServer();
  dir = mkdtempSync(join(tmpdir(), 'ag-startup-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

// Runs the CLI with a module hook listing the files it loads; returns the run and those files (dist-relative).
async function runRecordingLoads(args: string[], name: string): Promise<{ run: CliRun; loaded: string[] }> {
  const record = join(dir, `${name}.loads`);
  writeFileSync(record, '');
  const run = await runCli(args, { env: { NODE_OPTIONS: `--import=${join(SCRIPTS, 'record-loads.mjs')}`, RECORD_LOADS: record } });
  const loaded = readFileSync(record, 'utf8').split('\n').filter(Boolean).map((url) => relative(DIST, fileURLToPath(url)));
  return { run, loaded };
}

describe('start-up: the files each command loads', () => {
  it('--version and -V print the version in package.json from dist/cli/main.js alone', async () => {
    for (const flag of ['--version', '-V']) {
      const { run, loaded } = await runRecordingLoads([flag], `version${flag}`);
      expect(run).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
      expect(loaded).toEqual(['cli/main.js']);
    }
  });

  it.each(['json', 'yaml'])('a one-shot check with a %s config loads main.js and check-main.js, nothing else', async (format) => {
    const env = guardEnv(server.url);
    try {
      const config = join(env.dir, `guard.${format}`);
      const text = readFileSync(env.configFile, 'utf8');
      writeFileSync(config, format === 'json' ? text : `# YAML\n${text}`); // JSON is YAML too
      const { run, loaded } = await runRecordingLoads(['check', '-c', config, '--json'], `check-${format}`);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout.split('\n')[0]!)).toMatchObject({ lat: { ok: true } });
      expect(loaded).toEqual(['cli/main.js', 'cli/check-main.js']);
    } finally {
      env.cleanup();
    }
  });

  it('a report loads main.js and report-main.js, nothing else (threads and gzip load their modules only when used)', async () => {
    const env = guardEnv(server.url);
    try {
      env.seedLog([{ ts: '2025-10-21T08:35:00.000000Z', lat: { latency_ms: 12.5, ok: true }, res: { cpu: 1, mem: 2, disk: 3 }, score: null, mean: null, stdev: null }]);
      const { run, loaded } = await runRecordingLoads(['report', '--json', '--jobs', '1', '-c', env.configFile], 'report');
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ checks: 1 });
      expect(loaded).toEqual(['cli/main.js', 'cli/report-main.js']);
    } finally {
      env.cleanup();
    }
  });

  it('another command loads the program and its chunks: not the daemon, HTTP server, dashboard, forensics or (for a JSON config) YAML', async () => {
    const env = guardEnv(server.url);
    try {
      const { run, loaded } = await runRecordingLoads(['validate', '-c', env.configFile], 'validate');
      expect(run).toMatchObject({ code: 0, stdout: `${env.configFile} is valid\n` });
      expect(loaded.slice(0, 2)).toEqual(['cli/main.js', 'cli/program.js']);
      expect(loaded.slice(2).filter((f) => !/^chunks\/[\w-]+\.js$/.test(f))).toEqual([]);
      expect(loaded.filter((f) => /^chunks\/(run|daemon-services|http-service|assets|report|replay|demo|check|check-run|parse-yaml)-/.test(f))).toEqual([]);
    } finally {
      env.cleanup();
    }
  });
});
