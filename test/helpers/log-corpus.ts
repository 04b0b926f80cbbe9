// Logs for the forensics reader's tests: the record shapes this tool writes, lines a person or another
// tool could leave (other key order, whitespace, escapes, unicode, repeated keys, exponents, bad UTF-8,
// torn lines), written as a live log and rotated files; and the reference reader they are checked
// against: the reader `report` had before the fast path (each line decoded and given to JSON.parse).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readLines } from '../../src/forensics/line-source.js';
import { reportStats } from '../../src/forensics/report-stats.js';
import type { LogFile } from '../../src/forensics/rotated-files.js';
import type { LogScan } from '../../src/forensics/scan-log.js';
import { inRange, rangeText, tsPrefix, type TimeRange } from '../../src/forensics/time-range.js';
import { tsParser } from '../../src/forensics/ts-ms.js';

const START_MS = Date.parse('2025-10-20T00:00:00Z');
const STEP_MS = 300_000;

/** A seeded PRNG returning floats in [0, 1) (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tsAt = (ms: number, micros: number): string => `${new Date(ms).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;

/** Lines a log may hold that this tool does not write (each one line, without its '\n'). */
export function foreignLines(ts: string): Buffer[] {
  const text = [
    `{"score":2.5,"res":{"disk":1,"cpu":2,"mem":3},"lat":{"ok":true,"latency_ms":7.25},"stdev":1,"ts":"${ts}","mean":2}`,
    `{ "ts": "${ts}", "lat": { "latency_ms": 12.5, "ok": true }, "score": 1.5 }`,
    `{"ts":"${ts}","lat":{"latency_ms":1,"ok":false},"reasons":["health_unhealthy (status=D\\u00e9grad\\u00e9 \\"x\\")"]}`,
    `{"ts":"${ts}","lat":{"latency_ms":3,"ok":false},"reasons":["health_unhealthy (Dégradé ☃ 𝄞)",7,null]}`,
    `{"ts":"${ts}","lat":{"latency_ms":5,"ok":true},"score":9.5,"score":-1}`,
    `{"ts":"2000-01-01T00:00:00.000000Z","lat":{"latency_ms":5,"ok":true},"ts":"${ts}"}`,
    `{"ts":"${ts}","lat":{"latency_ms":4.5e1,"ok":true},"score":1e1,"mean":12345678901234567890}`,
    `{"ts":"${ts}","lat":{"latency_ms":2,"ok":true,"timing":{"dns":[1,{"x":[null]}]}},"detector":{"name":"z","score":0.1,"anomaly":false},"res":[]}`,
    `{"ts":"${ts}","lat":{"latency_ms":6,"ok":true},"score":3.25}\r`,
    '',
    '   ',
    '[1,2]',
    '42',
    'null',
    '"text"',
    '{}',
    `{"ts":"${ts}"}`,
    `{"ts":"${ts}","event":"anomaly_trigger","reasons":"not a list"}`,
    `{"event":7,"ts":"${ts}"}`,
    `{"event":"self_heal","ts":"${ts}","exit_code":0,"timed_out":true}`,
    `{"event":"recovered","ts":"${ts}"}`,
    `{"ts":"${ts.slice(0, 19)}Z","lat":{"latency_ms":8,"ok":true},"score":0.25}`,
    `{"ts":"${ts.slice(0, 19)}.5+01:00","lat":{"latency_ms":8,"ok":false}}`,
    `{"ts":"2025-02-30T08:00:00.000000Z","lat":{"latency_ms":9,"ok":true}}`,
    `{"lat":{"latency_ms":9,"ok":true}}`,
    `{"ts":1761035700,"lat":{"latency_ms":9,"ok":true}}`,
    `\uFEFF{"ts":"${ts}","lat":{"latency_ms":9,"ok":true}}`,
    `{"ts":"${ts}","lat":{"latency_`,
    `{"ts":"${ts}","lat":[true],"score":4}`,
    `{"ts":"${ts}","lat":{"latency_ms":-0,"ok":true},"score":-0}`,
    `{"ts":"${ts}","lat":{"latency_ms":1,"ok":true}} trailing`,
    `{"ts":"${ts}","lat":{"latency_ms":1,"ok":true},"note":"a\tb"}`,
  ].map((t) => Buffer.from(t));
  const badUtf8 = Buffer.concat([Buffer.from(`{"ts":"${ts}","lat":{"latency_ms":1,"ok":false},"reasons":["bad `), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(')"]}')]);
  const nul = Buffer.concat([Buffer.from(`{"ts":"${ts}","lat":{"latency_ms":1,"ok":true`), Buffer.from([0]), Buffer.from('}')]);
  return [...text, badUtf8, nul];
}

/** The records one cycle of this tool may write: a check, and its events. */
function cycleLines(rand: () => number, ms: number): string[] {
  const ts = tsAt(ms + Math.floor(rand() * 40), Math.floor(rand() * 1000));
  const ok = rand() > 0.08;
  const latency = Math.round((ok ? 40 + 20 * rand() : 10_000) * 1000) / 1000;
  const score = ok && rand() > 0.05 ? Math.round((rand() * 8 - 2) * 100) / 100 : null;
  const reasons = !ok ? ['health_unhealthy (HTTP 503)'] : score !== null && score > 3 ? [`latency_anomaly_3sigma (score=${score})`] : rand() < 0.03 ? ['disk_warning (93.2%)'] : null;
  const stats = score === null ? '"mean":null,"stdev":null' : `"mean":${Math.round(45000 * rand()) / 1000},"stdev":${Math.round(5000 * rand()) / 1000}`;
  const lat = `{"latency_ms":${latency},"ok":${ok},"http_status":${ok ? 200 : 503}${ok ? '' : ',"error":"HTTP 503"'}}`;
  const out = [`{"ts":"${ts}","lat":${lat},"res":{"cpu":${Math.round(rand() * 1000) / 10},"mem":31.5,"disk":64.8},"score":${score},${stats}${reasons ? `,"reasons":${JSON.stringify(reasons)}` : ''}}`];
  const later = (n: number): string => tsAt(ms + 1000 * n, 0);
  if (reasons && rand() < 0.7) out.push(`{"event":"anomaly_trigger","ts":"${ts}","reasons":${JSON.stringify(reasons)},"latency":${latency},"score":${score},"cpu":10,"mem":30,"disk":60}`);
  if (reasons && rand() < 0.5) out.push(`{"event":"self_heal","ts":"${later(2)}","command":["restart"],"exit_code":${rand() < 0.8 ? 0 : 1},"signal":null,"timed_out":${rand() < 0.1},"duration_ms":1500,"stdout_tail":"","stderr_tail":""}`);
  if (reasons && rand() < 0.3) out.push(`{"event":"heal_verify","ts":"${later(12)}","recovered":${rand() < 0.7},"latency_ms":12}`);
  if (rand() < 0.02) out.push(`{"event":"heal_suppressed","ts":"${ts}","why":"${rand() < 0.5 ? 'cooldown' : 'rate_limit'}"}`);
  if (rand() < 0.02) out.push(`{"event":"resource_warning","ts":"${ts}","reasons":["disk_warning (93.2%)"],"cpu":1,"mem":2,"disk":93.2}`);
  if (ok && rand() < 0.02) out.push(`{"event":"recovered","ts":"${ts}","cleared":[],"duration_ms":600000}`);
  if (rand() < 0.005) out.push(`{"event":"cycle_timeout","ts":"${later(60)}","timeout_ms":60000}`);
  if (rand() < 0.005) out.push(`{"event":"alert_sent","ts":"${ts}","key":"k","channels":["command"],"ok":${rand() < 0.5}}`);
  return out;
}

/** About `cycles` cycles of records from `seed`, with a foreign line now and then (share `foreign`). */
export function corpusLines(seed: number, cycles: number, foreign = 0.02): Buffer[] {
  const rand = seeded(seed);
  const odd = foreignLines(tsAt(START_MS, 0));
  const lines: Buffer[] = [];
  for (let i = 0; i < cycles; i++) {
    const ms = START_MS + i * STEP_MS;
    for (const l of cycleLines(rand, ms)) lines.push(Buffer.from(l));
    if (rand() < foreign) lines.push(odd[Math.floor(rand() * odd.length)] as Buffer);
  }
  return lines;
}

/** The time of cycle i of a corpus. */
export const corpusMs = (i: number): number => START_MS + i * STEP_MS;

/** Writes lines into `<dir>/guard.ndjson` and rotated files: parts[0] oldest; `.gz` names are gzipped. */
export function writeLog(dir: string, parts: { name: string; lines: Buffer[]; tail?: Buffer }[]): LogFile[] {
  mkdirSync(dir, { recursive: true });
  return parts.map(({ name, lines, tail }) => {
    const path = join(dir, name);
    const raw = Buffer.concat([...lines.flatMap((l) => [l, Buffer.from('\n')]), tail ?? Buffer.alloc(0)]);
    const data = name.endsWith('.gz') ? gzipSync(raw) : raw;
    writeFileSync(path, data);
    return { path, gzip: name.endsWith('.gz'), bytes: data.length };
  });
}

/** The reference: each line decoded and given to JSON.parse, fed to the same accumulator. */
export async function referenceScan(files: LogFile[], range: TimeRange): Promise<LogScan> {
  const stats = reportStats();
  const parseTs = tsParser();
  const { since, until } = rangeText(range);
  const scans: LogScan['files'] = [];
  let untimed = 0;
  for (const file of files) {
    const scan = { path: file.path, gzip: file.gzip, bytes: file.bytes, lines: 0, skipped: 0, error: null as string | null };
    const onLine = (line: string): void => {
      const prefix = tsPrefix(line);
      if (prefix !== null && ((since !== null && prefix < since) || (until !== null && prefix > until))) {
        scan.lines++;
        return;
      }
      let rec: unknown;
      try {
        rec = JSON.parse(line);
      } catch {
        if (line.trim() !== '') [scan.lines, scan.skipped] = [scan.lines + 1, scan.skipped + 1];
        return;
      }
      scan.lines++;
      if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
        scan.skipped++;
        return;
      }
      const r = rec as Record<string, unknown>;
      const tsMs = parseTs(r.ts);
      if (!Number.isFinite(tsMs)) untimed++;
      else if (prefix !== null || inRange(tsMs, range)) stats.add(r, r.ts as string, tsMs);
    };
    scan.error = (await readLines(file, onLine)).error;
    scans.push(scan);
  }
  const skippedLines = scans.reduce((sum, s) => sum + s.skipped, 0);
  return { figures: stats.result(), files: scans, skippedLines, untimed, range, threads: 1, workerError: null };
}
