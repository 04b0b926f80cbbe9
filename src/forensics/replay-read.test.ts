// replay's history through the fast reader against the reader replay had before it (readLogForward: each
// line trimmed and given to JSON.parse, a last line without '\n' left unread).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusLines, writeLog } from '../../test/helpers/log-corpus.js';
import { parseTs } from '../core/format.js';
import { readLogForward } from '../log/reader.js';
import { isEvent } from '../log/records.js';

// The check records replay has always read: any object with a `lat` and no `event` (not the record guard's
// full contract check, which the baseline applies).
const isCheckRecord = (r: unknown): r is { ts: unknown; lat: { ok?: unknown; latency_ms?: unknown } } =>
  typeof r === 'object' && r !== null && (r as { event?: unknown }).event === undefined && typeof (r as { lat?: unknown }).lat === 'object' && (r as { lat?: unknown }).lat !== null;
import { readReplayHistory, type ReplayHistory } from './replay-read.js';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ag-replay-read-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function reference(path: string): Promise<ReplayHistory> {
  const h: ReplayHistory = { checks: 0, values: [], timesMs: [], checkIndex: [], recorded: [], incidents: [], firstMs: Number.NaN, lastMs: Number.NaN, skipped: 0 };
  let open: ReplayHistory['incidents'][number] | null = null;
  const stats = { skipped: 0 };
  for await (const { record } of readLogForward(path, { stats })) {
    if (isCheckRecord(record)) {
      const ts = parseTs(record.ts);
      const at = h.checks++;
      if (Number.isNaN(h.firstMs)) h.firstMs = ts;
      h.lastMs = ts;
      if (record.lat.ok === true && typeof record.lat.latency_ms === 'number' && Number.isFinite(record.lat.latency_ms)) {
        open = null;
        h.values.push(record.lat.latency_ms);
        h.timesMs.push(ts);
        h.checkIndex.push(at);
      } else if (record.lat.ok === false) {
        if (open) open.checks++;
        else h.incidents.push((open = { check: at, tsMs: ts, checks: 1 }));
      }
    } else if (isEvent(record, 'anomaly_trigger') && h.checks > 0) {
      const reasons = Array.isArray(record.reasons) ? record.reasons : [];
      if (reasons.some((r) => typeof r === 'string' && r.startsWith('latency_anomaly_'))) h.recorded.push({ check: h.checks - 1, tsMs: parseTs(record.ts) });
    }
  }
  h.skipped = stats.skipped;
  return h;
}

describe('readReplayHistory', () => {
  it.each([
    { name: 'a log of this tool', seed: 1, foreign: 0 },
    { name: 'foreign, blank and torn lines between the records', seed: 2, foreign: 0.2 },
  ])('reads what the JSON.parse reader read: $name', async ({ seed, foreign }) => {
    const [log] = writeLog(join(dir, String(seed)), [{ name: 'guard.ndjson', lines: corpusLines(seed, 1500, foreign), tail: Buffer.from('{"ts":"2025-10-30T00:00:00.000000Z","lat":{"latency_ms":1,"ok":true}}') }]);
    const got = await readReplayHistory(log!.path);
    expect(got).toEqual(await reference(log!.path));
    expect(got.values.length).toBeGreaterThan(1000);
    expect(got.recorded.length).toBeGreaterThan(10);
  });

  it('gives an empty history for a log that is not there', async () => {
    expect((await readReplayHistory(join(dir, 'none.ndjson'))).checks).toBe(0);
  });
});
