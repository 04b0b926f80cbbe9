// The table of recent events (newest first): time, a coloured label and the detail in words. The records
// arrive unchecked: describeEvent checks each, and only a string `ts` becomes the time.
import { describeEvent } from './describe-event.js';
import { el } from './dom.js';
import { formatClock } from './format.js';

const field = (rec: unknown, key: 'ts' | 'event'): string => {
  const value = typeof rec === 'object' && rec !== null ? (rec as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : '';
};

/** Fills `tbody` with one row per event; `empty` shows when there are none. */
export function renderEvents(tbody: HTMLTableSectionElement, empty: HTMLElement, events: unknown[], nowMs = Date.now()): void {
  const rows = events.map((rec) => {
    const text = describeEvent(rec);
    const ts = field(rec, 'ts');
    const time = el('time', { text: formatClock(ts, nowMs), attrs: { datetime: ts, title: ts } });
    const tag = el('span', { cls: `tag tone-${text.tone}`, text: text.label });
    return el('tr', { attrs: { 'data-event': field(rec, 'event') } }, el('td', { cls: 'when' }, time), el('td', { cls: 'what' }, tag), el('td', { cls: 'detail', text: text.detail }));
  });
  tbody.replaceChildren(...rows);
  tbody.dataset.count = String(rows.length);
  empty.hidden = rows.length > 0;
}
