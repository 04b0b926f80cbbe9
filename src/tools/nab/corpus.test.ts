// The corpus loader on a tiny corpus in a temp folder, and the sanity checks on the real development set
// (when it is there): the null detector scores 0 and a perfect one 100.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNabCorpus } from './corpus.js';
import { PROFILES } from './layout.js';
import { bestCorpusScore, scoreCorpus } from './sweep.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function corpus(labels: unknown, files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'ag-nab-'));
  mkdirSync(join(dir, 'labels'));
  writeFileSync(join(dir, 'labels', 'combined_windows.json'), JSON.stringify(labels));
  for (const [key, text] of Object.entries(files)) {
    mkdirSync(join(dir, 'data', key, '..'), { recursive: true });
    writeFileSync(join(dir, 'data', key), text);
  }
  return dir;
}

const rows = (n: number): string => `timestamp,value\n${Array.from({ length: n }, (_, i) => `2014-04-10 ${String(Math.floor(i / 12)).padStart(2, '0')}:${String((i % 12) * 5).padStart(2, '0')}:00,${i}`).join('\n')}\n`;

describe('loadNabCorpus', () => {
  it('finds window limits by exact timestamp, microseconds or not', async () => {
    const d = corpus({ 'cat/a.csv': [['2014-04-10 01:00:00.000000', '2014-04-10 01:15:00.000000']], 'none/b.csv': [] }, { 'cat/a.csv': rows(24), 'none/b.csv': rows(5) });
    const loaded = await loadNabCorpus(d);
    expect(loaded.ok).toBe(true);
    if (!loaded.ok) return;
    expect(loaded.files.map((f) => [f.key, f.category, f.values.length, f.windows])).toEqual([
      ['cat/a.csv', 'cat', 24, [[12, 15]]],
      ['none/b.csv', 'none', 5, []],
    ]);
    expect(loaded.files[0]!.layout.probation).toBe(3);
  });

  const failures: { name: string; labels: unknown; files: Record<string, string>; error: RegExp }[] = [
    { name: 'no label file', labels: null, files: {}, error: /cannot read .*combined_windows\.json/ },
    { name: 'a data file missing', labels: { 'cat/a.csv': [] }, files: {}, error: /cannot read .*cat\/a\.csv/ },
    { name: 'a window limit that is not a row', labels: { 'cat/a.csv': [['2014-04-10 01:01:00', '2014-04-10 01:15:00']] }, files: { 'cat/a.csv': rows(24) }, error: /labels: cat\/a\.csv: window .* does not match rows/ },
    { name: 'a bad row', labels: { 'cat/a.csv': [] }, files: { 'cat/a.csv': 'timestamp,value\n2014-04-10 00:00:00,1\n2014-04-10 00:05:00,x\n' }, error: /a\.csv: line 3: value "x" is not a number/ },
  ];
  for (const f of failures) {
    it(`says what is wrong: ${f.name}`, async () => {
      const d = corpus(f.labels, f.files);
      if (f.labels === null) rmSync(join(d, 'labels', 'combined_windows.json'));
      const loaded = await loadNabCorpus(d);
      expect(loaded.ok).toBe(false);
      if (!loaded.ok) expect(loaded.error).toMatch(f.error);
    });
  }
});

const NAB = resolve(process.env.NAB_DIR ?? '../shared/nab');

describe.skipIf(!existsSync(join(NAB, 'labels', 'combined_windows.json')))('the NAB development set', () => {
  it('scores the null detector 0 and a perfect detector 100 under every profile', async () => {
    const loaded = await loadNabCorpus(NAB);
    if (!loaded.ok) throw new Error(loaded.error);
    const perfect = loaded.files.map((f) => {
      const scores = new Float64Array(f.values.length);
      for (const [l] of f.windows) scores[l] = 1;
      return { key: f.key, layout: f.layout, scores };
    });
    const none = perfect.map((f) => ({ ...f, scores: new Float64Array(f.scores.length) }));
    for (const p of PROFILES) {
      expect(bestCorpusScore(perfect, p).normalised).toBeCloseTo(100, 9);
      expect(scoreCorpus(perfect, p, 0.5).normalised).toBeCloseTo(100, 9);
      expect(scoreCorpus(none, p, 0.5).normalised).toBe(0);
      expect(bestCorpusScore(none, p).normalised).toBe(0);
    }
    expect(loaded.files).toHaveLength(44);
    expect(loaded.files.reduce((a, f) => a + f.windows.length, 0)).toBe(81);
  });
});
