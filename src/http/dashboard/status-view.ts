// The health panel: the verdict (big, coloured; HEALING OFF while the heal budget keeps heals from running), the latest latency and z-score, the baseline, the last
// trigger and heal, the heal budget, and the daemon line. Log records are checked before they are read.
import { classifyRecord } from '../../log/records.js';
import type { StatusResponse } from './api-types.js';
import { describeEvent } from './describe-event.js';
import { byId, setText } from './dom.js';
import { formatAgo, formatClock, formatLatency, formatNumber } from './format.js';
import { pageState } from './page-state.js';

const tsOf = (rec: unknown): string | null => {
  const ts = (rec as { ts?: unknown }).ts;
  return typeof ts === 'string' ? ts : null;
};

const VERDICT_WORDS = { OK: 'All checks pass', WARNING: 'A warning needs attention', CRITICAL: 'An anomaly was triggered', UNKNOWN: 'The check could not run' } as const;

/** Fills the health panel from api/status. */
export function renderStatus(doc: Document, s: StatusResponse, nowMs = Date.now()): void {
  const verdict = byId(`verdict`, doc);
  const state = pageState(s, nowMs);
  verdict.dataset.verdict = s.verdict;
  verdict.dataset.state = state.state;
  verdict.classList.toggle('healing-off', state.healingOff !== null);
  setText(byId('verdict-word', doc), state.word);
  const latest = s.latest_check === null ? null : classifyRecord(s.latest_check);
  const check = latest?.kind === 'check' ? latest.record : null;
  const reasons = check?.reasons ?? [];
  const unreadable = latest === null || latest.kind === 'check' ? null : `The latest check record is invalid${latest.kind === 'invalid' ? ` (${latest.problem})` : ''}`;
  const detail = unreadable ?? (check === null ? 'No check yet' : reasons.length > 0 ? reasons.join('; ') : VERDICT_WORDS[s.verdict]);
  setText(byId('verdict-detail', doc), state.healingOff === null ? detail : `${state.healingOff}. Last check ${s.verdict}: ${detail}`);
  setText(byId('latency-now', doc), formatLatency(check?.lat.latency_ms));
  setText(byId('score-now', doc), formatNumber(check?.score, 2));
  byId('score-now', doc).classList.toggle('over', check?.score != null && check.score > s.config.sigma);
  setText(byId('checked-at', doc), check ? `${formatClock(check.ts, nowMs)} (${formatAgo(check.ts, nowMs)})` : null);
  renderBaseline(doc, s);
  renderLast(doc, s, nowMs);
  setText(byId('health-url', doc), s.config.health_url);
  const schedule = s.config.schedule ?? (s.config.interval_ms ? `every ${s.config.interval_ms / 1000} s` : null);
  setText(byId('daemon-info', doc), `anomaly-guard ${s.daemon.version} · pid ${s.daemon.pid} · ${s.daemon.cycles} cycles since ${formatClock(s.daemon.started_at, nowMs)} · ${schedule ?? ''} · detector ${s.config.detector} · profile ${s.config.profile}`);
}

function renderBaseline(doc: Document, s: StatusResponse): void {
  const b = s.baseline;
  const text = b.mean === null || b.stdev === null ? `building: ${b.n} of ${s.config.window} samples` : `${formatLatency(b.mean)} ± ${formatLatency(b.stdev)} (${b.n} samples)`;
  setText(byId('baseline', doc), text);
  setText(byId('threshold', doc), b.threshold_ms === null ? null : `${formatLatency(b.threshold_ms)} (${s.config.sigma}σ)`);
}

function renderLast(doc: Document, s: StatusResponse, nowMs: number): void {
  const line = (rec: unknown): string => (rec ? `${describeEvent(rec).detail} · ${formatAgo(tsOf(rec), nowMs)}` : 'none');
  setText(byId('last-trigger', doc), line(s.last.trigger));
  setText(byId('last-heal', doc), line(s.last.heal));
}
