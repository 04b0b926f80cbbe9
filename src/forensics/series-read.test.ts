import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines, corpusMs, writeLog } from '../../test/helpers/log-corpus.js';
import { parseTs } from '../core/format.js';
import type { LogFile } from './rotated-files.js';
import { readSeries, seekTime } from './series-read.js';
import { rangeText } from './time-range.js';

let dir = '';
let log: LogFile;
const lines = corpusLines(21, 20_000, 0.01);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-series-'));
  [log] = writeLog(dir, [{ name: 'guard.ndjson', lines }]) as [LogFile];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The checks of [from, to] by plain JSON.parse of every line.
function checksIn(fromMs: number, toMs: number): { ts: string; ms: number; latency: number; ok: boolean }[] {
  return lines.flatMap((l) => {
    try {
      const r = JSON.parse(l.toString());
      const ms = parseTs(r.ts);
      return r.event === undefined && r.lat && ms >= fromMs && ms <= toMs ? [{ ts: r.ts, ms, latency: r.lat.latency_ms, ok: r.lat.ok === true }] : [];
    } catch {
      return [];
    }
  });
}

describe('readSeries', () => {
  it('keeps every check of a range when the points allow it', async () => {
    const [fromMs, toMs] = [corpusMs(15_000), corpusMs(15_100)];
    const s = await readSeries(log, { fromMs, toMs, maxPoints: 1000 });
    expect(s.points.map((p) => [p.ts, p.latencyMs, p.ok])).toEqual(checksIn(fromMs, toMs).map((c) => [c.ts, c.latency, c.ok]));
    expect(s.downsampled).toBe(false);
    expect(s.events.every((e) => e.record.event === 'anomaly_trigger' && e.tsMs >= fromMs && e.tsMs <= toMs)).toBe(true);
  });

  it('buckets a long range into at most maxPoints: the slowest check of each, not ok when any failed', async () => {
    const [fromMs, toMs] = [corpusMs(2_000), corpusMs(12_000)];
    const s = await readSeries(log, { fromMs, toMs, maxPoints: 100 });
    const all = checksIn(fromMs, toMs);
    expect(s.points.length).toBeLessThanOrEqual(100);
    expect(s.downsampled).toBe(true);
    expect(Math.max(...s.points.map((p) => p.latencyMs ?? 0))).toBe(Math.max(...all.map((c) => c.latency)));
    expect(s.points.filter((p) => !p.ok).length).toBeGreaterThan(0);
  });

  it('seeks to a line at or before the first one in range', () => {
    const since = rangeText({ sinceMs: corpusMs(15_000), untilMs: null }).since as string;
    const at = seekTime(log, since);
    const before = Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\n')])).subarray(0, at).toString();
    expect(at).toBeGreaterThan(log.bytes / 2);
    expect(before.split('\n').filter((l) => l.includes(`"ts":"${since.slice(0, 13)}`)).length).toBe(0);
  });
});
