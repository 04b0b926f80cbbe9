// Loads a NAB corpus folder: labels/combined_windows.json and data/<category>/<file>.csv, with each
// window's limits found by exact timestamp (so "…07:15:00.000000" matches "…07:15:00").
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkSeriesHeader, parseSeriesRow } from '../../forensics/series-csv.js';
import { fileLayout, type FileLayout } from './layout.js';

/** One series of the corpus with its windows as row indices. */
export interface NabFile {
  /** `<category>/<file>.csv`, as in the label file. */
  key: string;
  category: string;
  timesMs: Float64Array;
  values: Float64Array;
  windows: [number, number][];
  layout: FileLayout;
}

/** The corpus, or what stopped it loading. */
export type CorpusResult = { ok: true; files: NabFile[] } | { ok: false; error: string };

/** Parses a series CSV's text into times and values; throws an Error naming the file and line. */
export function parseSeriesText(text: string, name: string): { timesMs: Float64Array; values: Float64Array } {
  const lines = text.split('\n');
  while (lines.length > 0 && (lines[lines.length - 1] as string).trim() === '') lines.pop();
  const header = checkSeriesHeader(lines[0] ?? '');
  if (header) throw new Error(`${name}: line 1: ${header}`);
  const timesMs = new Float64Array(lines.length - 1);
  const values = new Float64Array(lines.length - 1);
  for (let i = 1; i < lines.length; i++) {
    const row = parseSeriesRow((lines[i] as string).replace(/\r$/, ''));
    if (!row.ok) throw new Error(`${name}: line ${i + 1}: ${row.problem}`);
    timesMs[i - 1] = row.row.tsMs;
    values[i - 1] = row.row.value;
  }
  return { timesMs, values };
}

/** Finds each [start, end] timestamp pair among the rows (start: first match, end: last match). */
export function windowRows(timesMs: Float64Array, pairs: unknown, key: string): [number, number][] {
  if (!Array.isArray(pairs)) throw new Error(`labels: ${key}: expected a list of [start, end] pairs`);
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  timesMs.forEach((t, i) => {
    if (!first.has(t)) first.set(t, i);
    last.set(t, i);
  });
  return pairs.map((pair: unknown) => {
    const [start, end] = Array.isArray(pair) ? pair : [];
    const l = first.get(parseSeriesTimestampOrNaN(start));
    const r = last.get(parseSeriesTimestampOrNaN(end));
    if (l === undefined || r === undefined || r < l) throw new Error(`labels: ${key}: window ${JSON.stringify(pair)} does not match rows of the data file`);
    return [l, r] as [number, number];
  }).sort((a, b) => a[0] - b[0]);
}

function parseSeriesTimestampOrNaN(text: unknown): number {
  if (typeof text !== 'string') return Number.NaN;
  const row = parseSeriesRow(`${text},0`);
  return row.ok ? row.row.tsMs : Number.NaN;
}

/** Reads the corpus in `dir` (every file the label file names, in its order). */
export async function loadNabCorpus(dir: string): Promise<CorpusResult> {
  const labelsPath = join(dir, 'labels', 'combined_windows.json');
  let labels: Record<string, unknown>;
  try {
    labels = JSON.parse(await readFile(labelsPath, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    return { ok: false, error: `cannot read ${labelsPath}: ${(err as Error).message}` };
  }
  try {
    const files = await Promise.all(Object.entries(labels).map(([key, pairs]) => loadFile(dir, key, pairs)));
    return { ok: true, files };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

async function loadFile(dir: string, key: string, pairs: unknown): Promise<NabFile> {
  const path = join(dir, 'data', key);
  const text = await readFile(path, 'utf8').catch((err: Error) => {
    throw new Error(`cannot read ${path}: ${err.message}`);
  });
  const { timesMs, values } = parseSeriesText(text, path);
  const windows = windowRows(timesMs, pairs, key);
  return { key, category: key.split('/')[0] ?? '', timesMs, values, windows, layout: fileLayout(values.length, windows) };
}
