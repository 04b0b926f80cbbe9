// `anomaly-guard score` through the built CLI: a series CSV in, one scored row per input row out,
// with the config's latency and heal settings; the errors a user meets name the line at fault.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/guard-env.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-score-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** 5-minute rows from 2014-04-10 00:00 in NAB's timestamp format. */
function series(values: (number | string)[], header = 'timestamp,value'): string {
  const rows = values.map((v, i) => {
    const t = new Date(Date.UTC(2014, 3, 10) + i * 300_000).toISOString();
    return `${t.slice(0, 10)} ${t.slice(11, 19)},${v}`;
  });
  return `${header}\n${rows.join('\n')}\n`;
}

const BASE = [10, 11, 10, 12, 11, 10, 11, 12, 10, 11, 11, 11.5];

function files(values: (number | string)[], config: object = {}) {
  const input = join(dir, 'in.csv');
  const configFile = join(dir, 'guard.json');
  writeFileSync(input, series(values));
  writeFileSync(configFile, JSON.stringify(config));
  return { input, configFile, output: join(dir, 'out.csv') };
}

const parse = (csv: string) => csv.trim().split('\n').map((l) => l.split(','));

describe('score', () => {
  it('writes timestamp,value,anomaly_score,trigger: one row per input row, the texts as given', async () => {
    const { input, configFile } = files([...BASE, 95, 11, '1.05e1']);
    const run = await runCli(['score', '--input', input, '-c', configFile], { cwd: dir });
    expect(run.code).toBe(0);
    const rows = parse(run.stdout);
    expect(rows[0]).toEqual(['timestamp', 'value', 'anomaly_score', 'trigger']);
    expect(rows).toHaveLength(1 + BASE.length + 3);
    expect(rows[1]).toEqual(['2014-04-10 00:00:00', '10', '0', '0']);
    expect(rows[15]?.[1]).toBe('1.05e1');
    expect(rows.slice(1).every((r) => Number(r[2]) >= 0 && Number(r[2]) <= 1)).toBe(true);
    // The first 10 rows fill min_samples: no score. The spike of 95 against ~11 ± 0.7 heals.
    expect(rows.slice(1, 11).every((r) => r[2] === '0')).toBe(true);
    expect(rows[13]).toEqual(['2014-04-10 01:00:00', '95', '1', '1']);
    expect(rows.filter((r) => r[3] === '1')).toHaveLength(1);
  });

  it('keeps the ranking: scores print as the shortest decimal that reads back exactly', async () => {
    const { input, configFile } = files([...BASE, 12.5, 13]);
    const rows = parse((await runCli(['score', '--input', input, '-c', configFile], { cwd: dir })).stdout);
    const a = Number(rows[13]![2]);
    const b = Number(rows[14]![2]);
    expect(a).toBeGreaterThan(0.9);
    expect(b).toBeGreaterThan(a);
    expect(rows[13]![2]!.length).toBeGreaterThan(8);
  });

  it('follows the config: the heal budget decides the trigger, sigma the finding', async () => {
    const spikes = [...BASE, 95, 11, 11, 300];
    const cases: { name: string; config: object; triggers: number }[] = [
      { name: 'defaults', config: {}, triggers: 2 },
      { name: 'heal.max_per_hour 1', config: { heal: { max_per_hour: 1 } }, triggers: 1 },
      { name: 'heal.cooldown 1h', config: { heal: { cooldown: '1h' } }, triggers: 1 },
      { name: 'latency.sigma 1000', config: { latency: { sigma: 1000 } }, triggers: 0 },
      { name: 'latency.confirm 2 of 2', config: { latency: { confirm: 2, confirm_of: 2 } }, triggers: 0 },
    ];
    for (const c of cases) {
      const { input, configFile } = files(spikes, c.config);
      const run = await runCli(['score', '--input', input, '-c', configFile], { cwd: dir });
      expect(run.code, c.name).toBe(0);
      expect(parse(run.stdout).filter((r) => r[3] === '1').length, c.name).toBe(c.triggers);
    }
  });

  it('--output writes the file and says what it found', async () => {
    const { input, configFile, output } = files([...BASE, 95]);
    const run = await runCli(['score', '--input', input, '--output', output, '-c', configFile], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`scored 13 rows with zscore: 1 findings, 1 triggers (heals that would have run); wrote ${output}\n`);
    expect(parse(readFileSync(output, 'utf8'))).toHaveLength(14);
  });

  it('uses the built-in defaults without a config file', async () => {
    const { input } = files([...BASE, 95]);
    const run = await runCli(['score', '--input', input], { cwd: dir, env: { ANOMALY_GUARD_CONFIG: '' } });
    expect(run.code).toBe(0);
    expect(parse(run.stdout).filter((r) => r[3] === '1')).toHaveLength(1);
  });

  it('--list-detectors prints the names, the default first', async () => {
    const run = await runCli(['score', '--list-detectors'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('zscore');
  });

  it('warns about rows stamped earlier than the one before and scores them', async () => {
    const input = join(dir, 'in.csv');
    writeFileSync(input, 'timestamp,value\n2014-04-10 01:00:00,1\n2014-04-10 00:55:00,2\n2014-04-10T01:05:00Z,3\n');
    const run = await runCli(['score', '--input', input], { cwd: dir });
    expect(run.code).toBe(0);
    expect(parse(run.stdout)).toHaveLength(4);
    expect(run.stderr).toContain('1 row(s) of');
  });
});

describe('score: what goes wrong', () => {
  const cases: { name: string; text: string | null; args?: string[]; extra?: string[]; code: number; stderr: RegExp }[] = [
    { name: 'a value that is not a number', text: series([...BASE, 'n/a']), code: 1, stderr: /in\.csv: line 14: value "n\/a" is not a number\nhint: each row must be timestamp,value/ },
    { name: 'a bad timestamp', text: 'timestamp,value\n2014-04-10 00:00:00,1\n04/10/2014 00:05,2\n', code: 1, stderr: /line 3: timestamp "04\/10\/2014 00:05" is not a date and time/ },
    { name: 'a row with three fields', text: 'timestamp,value\n2014-04-10 00:00:00,1,2\n', code: 1, stderr: /line 2: has 3 fields/ },
    { name: 'no header', text: '2014-04-10 00:00:00,1\n', code: 1, stderr: /line 1: the header is "2014-04-10 00:00:00,1"; the first line must be exactly: timestamp,value/ },
    { name: 'an empty file', text: '', code: 1, stderr: /line 1: the file is empty/ },
    { name: 'no such input', text: null, code: 1, stderr: /input .*in\.csv does not exist/ },
    { name: 'no --input', text: null, args: [], code: 2, stderr: /--input CSV is required/ },
    { name: 'an unknown detector', text: series(BASE), extra: ['--detector', 'prophet'], code: 2, stderr: /--detector prophet: no such detector; choose from: zscore/ },
  ];
  for (const c of cases) {
    it(`${c.name}: exit ${c.code}`, async () => {
      const input = join(dir, 'in.csv');
      const output = join(dir, 'out.csv');
      if (c.text !== null) writeFileSync(input, c.text);
      const run = await runCli(['score', ...(c.args ?? ['--input', input, '--output', output, ...(c.extra ?? [])])], { cwd: dir });
      expect(run.code).toBe(c.code);
      expect(run.stderr).toMatch(c.stderr);
      expect(existsSync(output)).toBe(false);
    });
  }
});
