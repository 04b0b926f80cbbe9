// `anomaly-guard replay` through the built CLI over a seeded log: what each setting would have fired,
// which recorded latency triggers it keeps, which incidents it would have caught early.
import { afterEach, describe, expect, it } from 'vitest';
import { guardEnv, type GuardEnv } from '../helpers/guard-env.js';

let env: GuardEnv;
afterEach(() => env?.cleanup());

const STEP = 300_000;
const ts = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');

/**
 * 60 checks, 5 minutes apart, the last one a minute ago. Latencies jitter around 11 ms, with
 * check 30 at 80 ms (recorded: an anomaly_trigger latency_anomaly_3sigma), check 34 at 70 ms (not
 * recorded), checks 35–37 unhealthy (incident 1, right after the 70 ms) and checks 51–52 unhealthy
 * (incident 2, nothing before it).
 */
function history(): object[] {
  const end = Date.now() - 60_000;
  const records: object[] = [];
  for (let i = 0; i < 60; i++) {
    const t = ts(end - (59 - i) * STEP);
    const unhealthy = (i >= 35 && i <= 37) || i === 51 || i === 52;
    const latency = i === 30 ? 80 : i === 34 ? 70 : 10 + ((i * 7) % 5) * 0.5;
    records.push({ ts: t, lat: { latency_ms: unhealthy ? 10_000 : latency, ok: !unhealthy, http_status: unhealthy ? null : 200 }, res: { cpu: 5, mem: 30, disk: 50 }, score: null, mean: null, stdev: null });
    if (i === 30) records.push({ event: 'anomaly_trigger', ts: t, reasons: ['latency_anomaly_3sigma (score=70.12)'], latency: 80, score: 70.12, cpu: 5, mem: 30, disk: 50 });
    if (i === 36) records.push({ event: 'anomaly_trigger', ts: t, reasons: ['health_unhealthy (timeout after 10000 ms)'], latency: 10_000, score: null, cpu: 5, mem: 30, disk: 50 });
  }
  return records;
}

function setup(config: Record<string, unknown> = {}): GuardEnv {
  env = guardEnv('http://127.0.0.1:9/health');
  env.writeConfig(config);
  env.seedLog(history());
  return env;
}

type Setting = { detector: string; window: number; sigma: number; configured: boolean; triggers: number; heals: number; kept: number; recorded: number; caught: number; missed: number; incidents_caught: boolean[] };

async function replayJson(args: string[]): Promise<{ checks: number; ok_checks: number; recorded_latency_triggers: number; incidents: { ts: string; checks: number }[]; settings: Setting[] }> {
  const run = await env.run(['replay', '--json', ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
}

describe('replay', () => {
  it('replays the configured setting by default', async () => {
    setup();
    const out = await replayJson([]);
    expect(out).toMatchObject({ checks: 60, ok_checks: 55, recorded_latency_triggers: 1, incidents: [{ checks: 3 }, { checks: 2 }] });
    expect(out.settings).toEqual([
      { detector: 'zscore', window: 50, sigma: 3, configured: true, triggers: 2, heals: 2, kept: 1, recorded: 1, caught: 1, missed: 1, incidents_caught: [true, false] },
    ]);
  });

  it('tries every combination; a less sensitive sigma keeps the big spike but misses the early warning', async () => {
    setup();
    const out = await replayJson(['--window', '20,50', '--sigma', '3,10', '--lead', '2']);
    const brief = out.settings.map((s) => [s.window, s.sigma, s.triggers, s.kept, s.incidents_caught]);
    expect(brief).toEqual([
      [20, 3, 2, 1, [true, false]],
      [20, 10, 1, 1, [false, false]],
      [50, 3, 2, 1, [true, false]],
      [50, 10, 1, 1, [false, false]],
    ]);
    expect(out.settings.map((s) => s.configured)).toEqual([false, false, true, false]);
  });

  it('applies the heal budget of the config to the heals it would have run', async () => {
    setup({ heal: { max_per_hour: 1 } });
    const [s] = (await replayJson([])).settings;
    expect(s).toMatchObject({ triggers: 2, heals: 1 });
  });

  it('--since counts only the recent span (the detector still learns from the older checks)', async () => {
    setup();
    const out = await replayJson(['--since', '1h']);
    expect(out.recorded_latency_triggers).toBe(0);
    expect(out.incidents).toHaveLength(1);
    expect(out.settings[0]).toMatchObject({ triggers: 0, kept: 0, recorded: 0, caught: 0, missed: 1 });
  });

  it('prints a table, marks the configured setting and lists the incidents', async () => {
    setup();
    const run = await env.run(['replay', '--sigma', '3,10']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^log .*anomaly_guard\.ndjson: 60 checks \(55 ok\) from \d{4}-.*Z to .*Z$/m);
    expect(run.stdout).toContain('recorded: 1 latency trigger, 2 incidents (checks whose probe failed)');
    expect(run.stdout).toMatch(/^detector\s+window\s+sigma\s+triggers\s+heals\s+kept\s+caught early\s+missed$/m);
    expect(run.stdout).toMatch(/^zscore \*\s+50\s+3\s+2\s+2\s+1\/1\s+1\s+1$/m);
    expect(run.stdout).toMatch(/^zscore\s+50\s+10\s+1\s+1\s+1\/1\s+1\s+1$/m);
    expect(run.stdout).toMatch(/^ {2}\S+Z {2}3 failed checks {2}caught early by: zscore window 50 sigma 3; zscore window 50 sigma 10$/m);
    expect(run.stdout).toMatch(/^ {2}\S+Z {2}2 failed checks {2}missed by every setting$/m);
  });
});

describe('replay: detectors that do not read window or sigma', () => {
  it('get one row each (window and sigma null in --json), not one per combination', async () => {
    setup();
    const out = await replayJson(['--detector', 'zscore,rank-cusum,likelihood', '--window', '20,50', '--sigma', '3,10']);
    expect(out.settings.map((s) => [s.detector, s.window, s.sigma])).toEqual([
      ['zscore', 20, 3],
      ['zscore', 20, 10],
      ['zscore', 50, 3],
      ['zscore', 50, 10],
      ['rank-cusum', null, null],
      ['likelihood', null, null],
    ]);
  });

  it('print "-" for them and say why; the configured one is still marked', async () => {
    setup({ latency: { detector: 'rank-cusum' } });
    const run = await env.run(['replay', '--detector', 'zscore,rank-cusum', '--sigma', '3,10']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rank-cusum \*\s+-\s+-\s+\d+\s+\d+\s+\d+\/1\s+\d+\s+\d+$/m);
    expect(run.stdout.match(/^rank-cusum/gm)).toHaveLength(1);
    expect(run.stdout).toContain('- rank-cusum does not use window or sigma: one row each, whatever --window and --sigma list.');
  });
});

describe('replay: what goes wrong', () => {
  const cases: { name: string; args: string[]; code: number; stderr: RegExp }[] = [
    { name: 'a window below 2', args: ['--window', '1,50'], code: 2, stderr: /--window 1,50: 1 is not valid\nhint: use a comma-separated list of whole numbers of 2 or more/ },
    { name: 'a sigma that is not a number', args: ['--sigma', 'x'], code: 2, stderr: /--sigma x: x is not valid/ },
    { name: 'an unknown detector', args: ['--detector', 'zscore,nope'], code: 2, stderr: /--detector nope: no such detector; choose from: zscore/ },
    { name: 'a bad --since', args: ['--since', 'yesterday'], code: 2, stderr: /--since yesterday is not a duration/ },
    { name: 'a bad --lead', args: ['--lead', '0'], code: 2, stderr: /--lead 0 is not a number of checks/ },
  ];
  for (const c of cases) {
    it(`${c.name}: exit ${c.code}`, async () => {
      setup();
      const run = await env.run(['replay', ...c.args]);
      expect(run.code).toBe(c.code);
      expect(run.stderr).toMatch(c.stderr);
    });
  }

  it('no log yet: exit 1', async () => {
    env = guardEnv('http://127.0.0.1:9/health');
    const run = await env.run(['replay']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no log yet at .*anomaly_guard\.ndjson/);
  });
});
