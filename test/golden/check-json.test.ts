// The golden end-to-end output of `check --json` on fixtures: a seeded log, a captured /proc tree with
// memory at 95 %, a service answering 503 and a heal command. Only the clock, the measured latencies and
// the heal's containment (this machine's) vary between runs; they are masked, everything else must match
// byte for byte.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { guardEnv, PROC_BUSY, SCRIPTS, seedChecks } from '../helpers/guard-env.js';
import { startHealthServer, type HealthServer } from '../helpers/health-server.js';

const GOLDEN = resolve('test/golden/check-503-mem95.ndjson');
let server: HealthServer;
beforeAll(async () => {
  server = await startHealthServer();
  server.setMode({ kind: 'http', code: 503, body: '{"status":"Unavailable"}' });
});
afterAll(() => server.close());

function mask(text: string, dir: string): string {
  return text
    .replaceAll(dir, '<dir>')
    .replaceAll(process.execPath, '<node>')
    .replaceAll(resolve('.'), '<repo>')
    .replace(/"ts":"[^"]+"/g, '"ts":"<ts>"')
    .replace(/"(latency_ms|latency|duration_ms|dns_ms|connect_ms|tls_ms|first_byte_ms)":[\d.]+/g, '"$1":"<ms>"')
    .replace(/got \d+ bytes/g, 'got <n> bytes')
    .replace(/"disk":[\d.]+/g, '"disk":"<pct>"')
    // What this machine offers to contain the heal (its own cgroup, or its process group only).
    .replace(/"containment":"(cgroup","cgroup":"[^"]+|process_group)"/g, '"containment":"<containment>"');
}

it('check --json prints exactly the records it appended', async () => {
  const env = guardEnv(server.url);
  try {
    const stdin = join(env.dir, 'heal-stdin.json');
    env.writeConfig({ resources: { procfs: PROC_BUSY }, heal: { command: [process.execPath, join(SCRIPTS, 'record-stdin.mjs'), stdin] } });
    env.seedLog(seedChecks([10, 12, 11, 13, 10, 12, 11, 13, 10, 12]));
    const run = await env.run(['check', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('');
    const logged = readFileSync(env.logFile, 'utf8').trim().split('\n').slice(10).join('\n');
    expect(run.stdout.trim()).toBe(logged);
    const actual = `${mask(run.stdout.trim(), env.dir)}\n`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, actual);
    expect(actual).toBe(readFileSync(GOLDEN, 'utf8'));
  } finally {
    env.cleanup();
  }
});
