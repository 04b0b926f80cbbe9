// Phrases a record for humans: the one-line `text` a chat webhook shows.

/** One line for humans (chat webhooks), e.g. `anomaly-guard: anomaly_trigger — health_unhealthy (HTTP 503)`. */
export function alertText(record: object): string {
  const rec = record as Record<string, unknown>;
  const event = typeof rec.event === 'string' ? rec.event : 'check';
  const summary = summarize(rec);
  const text = summary === '' ? `anomaly-guard: ${event}` : `anomaly-guard: ${event} — ${summary}`;
  return text.replace(/\s+/g, ' ').trim();
}

function summarize(rec: Record<string, unknown>): string {
  if (Array.isArray(rec.reasons) && rec.reasons.length > 0) return rec.reasons.map(String).join(', ');
  switch (rec.event) {
    case 'self_heal':
      return healSummary(rec);
    case 'heal_suppressed':
      return typeof rec.detail === 'string' ? `${String(rec.why)} (${rec.detail})` : String(rec.why);
    case 'heal_verify':
      return rec.recovered === true ? 'recovered' : `not recovered${typeof rec.error === 'string' ? ` (${rec.error})` : ''}`;
    case 'cycle_timeout':
      return `cycle aborted after ${String(rec.timeout_ms)} ms`;
    default:
      return '';
  }
}

function healSummary(rec: Record<string, unknown>): string {
  if (typeof rec.error === 'string') return `heal did not start (${rec.error})`;
  const took = `${String(rec.duration_ms)} ms`;
  if (rec.timed_out === true) return `heal timed out after ${took} (${String(rec.signal)})`;
  if (rec.aborted === true) return `heal aborted after ${took}`;
  if (typeof rec.signal === 'string') return `heal killed by ${rec.signal} after ${took}`;
  return `heal exited with code ${String(rec.exit_code)} after ${took}`;
}
