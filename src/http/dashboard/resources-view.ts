// CPU, memory and disk as bars against their thresholds (critical for cpu/mem, warning for disk), and
// the heal budget: heals in the last hour against max_per_hour.
import { isCheckRecord } from '../../log/records.js';
import type { StatusResponse } from './api-types.js';
import { el } from './dom.js';
import { formatNumber } from './format.js';

/** What one bar shows: value and limit on a 0..max scale, and its words. */
interface Reading {
  value: number | null;
  max: number;
  limit: number;
  text: string;
  limitText: string;
  /** The level at or above the limit: bad (red) or warn (amber). */
  over: 'bad' | 'warn';
}

const percent = (value: number | null | undefined, limit: number, word: string, over: Reading['over']): Reading => ({
  value: value ?? null,
  max: 100,
  limit,
  text: value == null ? '—' : `${formatNumber(value)} %`,
  limitText: `${word} at ${limit} %`,
  over,
});

// The latest check's resources when it is a valid check record (an invalid one reads as not measured).
const res = (s: StatusResponse) => (isCheckRecord(s.latest_check) ? s.latest_check.res : null);

const GAUGES: { key: string; label: string; read: (s: StatusResponse) => Reading }[] = [
  { key: 'cpu', label: 'CPU', read: (s) => percent(res(s)?.cpu, s.config.cpu_critical, 'critical', 'bad') },
  { key: 'mem', label: 'Memory', read: (s) => percent(res(s)?.mem, s.config.mem_critical, 'critical', 'bad') },
  { key: 'disk', label: 'Disk', read: (s) => percent(res(s)?.disk, s.config.disk_warning, 'warning', 'warn') },
  {
    key: 'heals',
    label: 'Heal budget',
    read: (s) => ({ value: s.heals_last_hour, max: Math.max(1, s.config.max_per_hour), limit: s.config.max_per_hour, text: `${s.heals_last_hour} of ${s.config.max_per_hour}`, limitText: 'heals in the last hour; more are suppressed', over: 'bad' }),
  },
];

/** Draws (first call) and updates the gauges in `list`. */
export function renderResources(list: HTMLElement, s: StatusResponse): void {
  for (const g of GAUGES) {
    const row = list.querySelector<HTMLElement>(`[data-gauge="${g.key}"]`) ?? list.appendChild(gaugeRow(g.key, g.label));
    const r = g.read(s);
    const share = (v: number): string => `${Math.min(100, Math.max(0, (v / r.max) * 100))}%`;
    (row.querySelector('.value') as HTMLElement).textContent = r.text;
    (row.querySelector('.limit-text') as HTMLElement).textContent = r.limitText;
    (row.querySelector('.fill') as HTMLElement).style.width = share(r.value ?? 0);
    (row.querySelector('.limit') as HTMLElement).style.left = share(r.limit);
    row.dataset.level = r.value === null ? 'none' : r.value >= r.limit ? r.over : r.value >= r.limit - r.max / 10 ? 'near' : 'ok';
    const bar = row.querySelector('.bar') as HTMLElement;
    bar.setAttribute('aria-valuemax', String(r.max));
    bar.setAttribute('aria-valuenow', String(r.value ?? 0));
    bar.setAttribute('aria-valuetext', r.value === null ? 'not measured' : `${r.text}, ${r.limitText}`);
  }
}

function gaugeRow(key: string, label: string): HTMLElement {
  const id = `gauge-${key}`;
  const head = el('div', { cls: 'gauge-head' }, el('span', { cls: 'name', text: label, attrs: { id } }), el('span', { cls: 'value' }));
  const bar = el('div', { cls: 'bar', attrs: { role: 'meter', 'aria-labelledby': id, 'aria-valuemin': '0' } }, el('div', { cls: 'fill' }), el('div', { cls: 'limit' }));
  return el('li', { cls: 'gauge', attrs: { 'data-gauge': key } }, head, bar, el('div', { cls: 'limit-text' }));
}
