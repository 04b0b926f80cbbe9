// GET /api/series?range=1h|1d|1w: the checks of the range for the latency chart, read backwards from the
// end of the log until past its start, bucketed on the fly to at most MAX_POINTS points. A bucket keeps its
// slowest check (so spikes stay visible), marked not ok when any of its checks failed.
import { formatTs, parseTs } from '../core/format.js';
import { isCheckRecord, type CheckRecord } from '../log/records.js';
import { readLogBackward } from '../log/tail-reader.js';

/** The ranges offered, in milliseconds. */
export const RANGES = { '1h': 3_600_000, '1d': 86_400_000, '1w': 604_800_000 } as const;
/** 1h | 1d | 1w */
export type RangeName = keyof typeof RANGES;
/** The most points a series has. */
export const MAX_POINTS = 2000;
/** The most triggers a series lists (the newest). */
export const MAX_TRIGGERS = 2000;

/** One point of the chart. */
export interface SeriesPoint {
  ts: string;
  latency_ms: number;
  ok: boolean;
  score: number | null;
  mean: number | null;
  stdev: number | null;
  cpu: number | null;
  mem: number | null;
  disk: number | null;
}

/** The body of /api/series. */
export interface SeriesBody {
  range: RangeName;
  from: string;
  to: string;
  points: SeriesPoint[];
  triggers: { ts: string; reasons: string[] }[];
  /** The `recovered` records and the `heal_verify` records with `recovered` true, oldest first (the newest 2000): where incidents end. */
  recoveries: { ts: string; event: 'recovered' | 'heal_verify' }[];
  sigma: number;
  downsampled: boolean;
  skipped_lines: number;
}

/** Parses `range` (default 1h); `problem` says what is wrong (400). */
export function parseRange(text: string | undefined): { range: RangeName } | { problem: string } {
  if (text === undefined || text === '') return { range: '1h' };
  if (Object.hasOwn(RANGES, text)) return { range: text as RangeName };
  return { problem: `range: ${JSON.stringify(text.slice(0, 40))} is not accepted; use one of ${Object.keys(RANGES).join(', ')}` };
}

/** Reads the series of `range` ending at `nowMs`. */
export function readSeries(logFile: string, range: RangeName, nowMs: number, sigma: number): SeriesBody {
  const fromMs = nowMs - RANGES[range];
  const bucketMs = RANGES[range] / MAX_POINTS;
  const buckets = new Map<number, { point: SeriesPoint; n: number }>();
  const triggers: SeriesBody['triggers'] = [];
  const recoveries: SeriesBody['recoveries'] = [];
  const stats = readLogBackward(logFile, (record) => {
    const ts = parseTs((record as { ts?: unknown }).ts);
    if (ts < fromMs) return false; // the log is in time order: the range is complete
    if (!(ts <= nowMs)) return true; // newer than now (clock skew) or no time: not on this chart
    if (isCheckRecord(record)) addPoint(buckets, Math.min(MAX_POINTS - 1, Math.floor((ts - fromMs) / bucketMs)), toPoint(record));
    else if ((record as { event?: unknown }).event === 'anomaly_trigger' && triggers.length < MAX_TRIGGERS) {
      const reasons = (record as { reasons?: unknown }).reasons;
      triggers.push({ ts: String((record as { ts: unknown }).ts), reasons: Array.isArray(reasons) ? reasons.map(String) : [] });
    } else if (isRecovery(record) && recoveries.length < MAX_TRIGGERS) recoveries.push({ ts: String(record.ts), event: record.event });
    return true;
  });
  const ordered = [...buckets.entries()].sort((a, b) => a[0] - b[0]).map(([, b]) => b);
  return {
    range,
    from: formatTs(fromMs),
    to: formatTs(nowMs),
    points: ordered.map((b) => b.point),
    triggers: triggers.reverse(),
    recoveries: recoveries.reverse(),
    sigma,
    downsampled: ordered.some((b) => b.n > 1),
    skipped_lines: stats.skipped,
  };
}

// A record that ends an incident on the chart: `recovered`, or a heal verified as recovered.
function isRecovery(record: unknown): record is { event: 'recovered' | 'heal_verify'; ts: unknown } {
  const r = record as { event?: unknown; recovered?: unknown };
  return r.event === 'recovered' || (r.event === 'heal_verify' && r.recovered === true);
}

function toPoint(r: CheckRecord): SeriesPoint {
  const res = r.res ?? { cpu: null, mem: null, disk: null };
  return { ts: r.ts, latency_ms: r.lat.latency_ms, ok: r.lat.ok === true, score: r.score ?? null, mean: r.mean ?? null, stdev: r.stdev ?? null, cpu: res.cpu ?? null, mem: res.mem ?? null, disk: res.disk ?? null };
}

// Keeps the slowest point of a bucket; a failed check anywhere in it marks the bucket not ok.
function addPoint(buckets: Map<number, { point: SeriesPoint; n: number }>, index: number, p: SeriesPoint): void {
  const b = buckets.get(index);
  if (b === undefined) {
    buckets.set(index, { point: p, n: 1 });
    return;
  }
  const ok = b.point.ok && p.ok;
  if (p.latency_ms > b.point.latency_ms) b.point = p;
  b.point = { ...b.point, ok };
  b.n += 1;
}
