// `score`'s core: a `timestamp,value` CSV in, one `timestamp,value,anomaly_score,trigger` line per row
// out, streaming (lines are read, scored by the simulated guard and emitted one by one).
import type { GuardSimulator } from '../core/detectors/simulate.js';
import { checkSeriesHeader, parseSeriesRow } from './series-csv.js';

/** The output header. */
export const SCORE_HEADER = 'timestamp,value,anomaly_score,trigger';

/** What a scoring run did, or the line that stopped it. */
export type ScoreOutcome = { ok: true; rows: number; findings: number; triggers: number; outOfOrder: number } | { ok: false; line: number; problem: string };

/** The score as the shortest decimal that reads back as the same number, so no ranking is lost. */
export function formatScore(score: number): string {
  return String(score);
}

/** Scores each data line of a series CSV (header first, rows in time order); blank lines are skipped, rows stamped earlier than the one before are counted. */
export async function scoreSeries(lines: AsyncIterable<string>, sim: GuardSimulator, emit: (line: string) => void | Promise<void>): Promise<ScoreOutcome> {
  let lineNo = 0;
  let headerSeen = false;
  let lastMs = Number.NEGATIVE_INFINITY;
  const out = { ok: true as const, rows: 0, findings: 0, triggers: 0, outOfOrder: 0 };
  for await (const raw of lines) {
    lineNo++;
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (!headerSeen) {
      const problem = checkSeriesHeader(line);
      if (problem) return { ok: false, line: lineNo, problem };
      headerSeen = true;
      await emit(SCORE_HEADER);
      continue;
    }
    const parsed = parseSeriesRow(line);
    if (!parsed.ok) return { ok: false, line: lineNo, problem: parsed.problem };
    const { row } = parsed;
    if (row.tsMs < lastMs) out.outOfOrder++; // scored at the latest time seen: the cycle clock never goes back
    lastMs = Math.max(lastMs, row.tsMs);
    const r = sim.step(row.value, row.tsMs);
    out.rows++;
    if (r.anomaly) out.findings++;
    if (r.trigger) out.triggers++;
    await emit(`${row.tsText},${row.valueText},${formatScore(r.score)},${r.trigger ? 1 : 0}`);
  }
  if (!headerSeen) return { ok: false, line: 1, problem: 'the file is empty; the first line must be the header timestamp,value' };
  return out;
}
