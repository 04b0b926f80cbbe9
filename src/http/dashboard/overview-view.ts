// The overview of a guard with targets: one table row per target (name linking to its own page, state,
// latency with a sparkline, last incident, heals), worst first, filtered by name as you type. Built for a
// thousand rows: each row is built once and rebuilt only when its data changed; rows move only when the
// order changed; the filter only toggles `hidden`.
import { SPARK_POINTS, type TargetRow, type TargetsBody } from '../target-overview.js';
import { el } from './dom.js';
import { formatAgo, formatClock, formatLatency } from './format.js';
import { sparkline } from './sparkline.js';

/** How a state reads on the page. */
export const STATE_LABELS: Record<TargetRow['state'], string> = { HEALING_OFF: 'HEALING OFF', CRITICAL: 'CRITICAL', WARNING: 'WARNING', UNKNOWN: 'NO DATA', OK: 'OK' };
const TONES: Record<TargetRow['state'], string> = { HEALING_OFF: 'tone-off', CRITICAL: 'tone-bad', WARNING: 'tone-warn', UNKNOWN: 'tone-muted', OK: 'tone-good' };

/** The overview table. */
export interface OverviewView {
  /** Shows a new overview (only changed rows are rebuilt). */
  update(body: TargetsBody): void;
  /** Shows only the rows whose name contains `text` (case-insensitive). */
  filter(text: string): void;
}

/** The link of a target's own page: this page with ?target=NAME (relative, so a path prefix is kept). */
export function targetHref(name: string): string {
  return `?target=${encodeURIComponent(name)}`;
}

/** True when the row's name matches the filter text. */
export function matchesFilter(name: string, text: string): boolean {
  const wanted = text.trim().toLowerCase();
  return wanted === '' || name.toLowerCase().includes(wanted);
}

/** An overview in `body` (a tbody); `count` says how many rows show. */
export function overviewView(tbody: HTMLTableSectionElement, count: HTMLElement): OverviewView {
  const rows = new Map<string, { tr: HTMLTableRowElement; sig: string }>();
  let order: string[] = [];
  let query = '';
  const showCount = (): void => {
    const shown = order.filter((name) => matchesFilter(name, query)).length;
    count.textContent = shown === order.length ? `${order.length} targets` : `${shown} of ${order.length} targets`;
    tbody.dataset.shown = String(shown);
  };
  // A click anywhere on a row opens the target's page (the name is the link for keyboards and readers).
  tbody.addEventListener('click', (ev) => {
    const tr = (ev.target as Element).closest('tr');
    if (tr === null || (ev.target as Element).closest('a') !== null) return;
    tr.querySelector('a')?.click();
  });
  return {
    update(body) {
      const seen = new Set<string>();
      for (const row of body.targets) {
        seen.add(row.target);
        const sig = JSON.stringify(row);
        const had = rows.get(row.target);
        if (had !== undefined && had.sig === sig) continue;
        const tr = had?.tr ?? el('tr');
        fillRow(tr, row);
        tr.hidden = !matchesFilter(row.target, query);
        rows.set(row.target, { tr, sig });
      }
      for (const [name, { tr }] of rows) if (!seen.has(name)) (tr.remove(), rows.delete(name));
      const next = body.targets.map((r) => r.target);
      if (next.length !== order.length || next.some((name, i) => name !== order[i])) {
        const frag = document.createDocumentFragment();
        for (const name of next) frag.append((rows.get(name) as { tr: HTMLTableRowElement }).tr);
        tbody.append(frag);
      }
      order = next;
      tbody.dataset.count = String(order.length);
      showCount();
    },
    filter(text) {
      query = text;
      for (const name of order) {
        const tr = rows.get(name)?.tr;
        if (tr !== undefined) tr.hidden = !matchesFilter(name, query);
      }
      showCount();
    },
  };
}

function fillRow(tr: HTMLTableRowElement, r: TargetRow): void {
  tr.dataset.target = r.target;
  tr.dataset.state = r.state;
  const name = el('td', { cls: 'name' }, el('a', { text: r.target, attrs: { href: targetHref(r.target) } }));
  const label = r.source === 'pending' ? 'READING LOG' : STATE_LABELS[r.state];
  const state = el('td', { cls: 'state' }, el('span', { cls: `tag ${TONES[r.state]}`, text: label }));
  const checked = r.checked_at === null ? 'no check yet' : `checked ${formatAgo(r.checked_at)}`;
  const latency = el('td', { cls: 'latency' }, el('span', { cls: 'now', text: formatLatency(r.latency_ms), attrs: { title: checked } }), sparkline(r.latencies, r.failed, SPARK_POINTS));
  const incident = r.last_incident === null ? el('td', { cls: 'incident muted', text: 'none' }) : el('td', { cls: 'incident' }, el('span', { cls: 'when', text: formatClock(r.last_incident.ts) }), document.createTextNode(` ${r.last_incident.reasons.join('; ')}`));
  const heals = el('td', { cls: 'heals', text: `${r.heals_last_hour}/${r.max_per_hour}` });
  tr.replaceChildren(name, state, latency, incident, heals);
}
