// The table of recent events (newest first): time, a coloured label and the detail in words.
import type { EventRecord } from '../../log/records.js';
import { describeEvent } from './describe-event.js';
import { el } from './dom.js';
import { formatClock } from './format.js';

/** Fills `tbody` with one row per event; `empty` shows when there are none. */
export function renderEvents(tbody: HTMLTableSectionElement, empty: HTMLElement, events: EventRecord[], nowMs = Date.now()): void {
  const rows = events.map((rec) => {
    const text = describeEvent(rec);
    const time = el('time', { text: formatClock(rec.ts, nowMs), attrs: { datetime: rec.ts, title: rec.ts } });
    const tag = el('span', { cls: `tag tone-${text.tone}`, text: text.label });
    const row = el('tr', { attrs: { 'data-event': rec.event } }, el('td', { cls: 'when' }, time), el('td', { cls: 'what' }, tag), el('td', { cls: 'detail', text: text.detail }));
    return row;
  });
  tbody.replaceChildren(...rows);
  tbody.dataset.count = String(rows.length);
  empty.hidden = rows.length > 0;
}
