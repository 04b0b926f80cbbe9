// What the chart shows as page elements over and under uPlot's canvas, placed after every draw (zoom, resize,
// new data): incidents as shaded spans under the lines, and a row beneath the plot with two lanes, failed
// probes (a bar per run of failed checks) and triggers (a tick each). Marks closer than a pixel or two merge.
import uPlot from 'uplot';
import type { ChartData, Span } from './chart-data.js';
import { el } from './dom.js';

const clock = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const at = (s: number): string => clock.format(s * 1000);

/** A span's place in CSS pixels of the plot area, or null when it is out of view. */
function place(u: uPlot, span: Span, minWidth: number): { left: number; width: number } | null {
  const width = u.bbox.width / uPlot.pxRatio;
  const min = u.scales.x?.min ?? 0;
  const max = u.scales.x?.max ?? 0;
  const to = span.to ?? max;
  if (to < min || span.from > max) return null;
  const left = Math.max(0, u.valToPos(span.from, 'x'));
  const right = Math.min(width, u.valToPos(to, 'x'));
  return { left: Math.min(left, width - minWidth), width: Math.max(minWidth, right - left) };
}

/** Merges spans that overlap on screen (within `gapPx`), keeping how many each stands for. */
function merged(u: uPlot, spans: Span[], minWidth: number, gapPx: number): { left: number; width: number; spans: Span[] }[] {
  const out: { left: number; width: number; spans: Span[] }[] = [];
  for (const span of spans) {
    const p = place(u, span, minWidth);
    if (p === null) continue;
    const last = out[out.length - 1];
    if (last && p.left <= last.left + last.width + gapPx) {
      last.width = Math.max(last.width, p.left + p.width - last.left);
      last.spans.push(span);
    } else out.push({ ...p, spans: [span] });
  }
  return out;
}

function box(cls: string, p: { left: number; width: number }, title: string): HTMLElement {
  const node = el('div', { cls, attrs: { title, role: 'img', 'aria-label': title } });
  node.style.left = `${p.left}px`;
  node.style.width = `${p.width}px`;
  return node;
}

const spanText = (what: string, spans: Span[]): string => {
  const first = spans[0] as Span;
  const last = spans[spans.length - 1] as Span;
  const end = last.to === null ? 'still open' : at(last.to);
  return `${what}${spans.length > 1 ? ` (${spans.length})` : ''}: ${at(first.from)} – ${end}`;
};

/** Draws the incident spans into `u.under` and the marker row `row` (below the plot, aligned with it). */
export function drawMarks(u: uPlot, row: HTMLElement, data: ChartData): void {
  const incidents = merged(u, data.incidents, 2, 0).map((m) => box('incident-span', m, spanText('incident', m.spans)));
  let layer = u.under.querySelector<HTMLElement>('.incident-layer');
  if (!layer) u.under.append((layer = el('div', { cls: 'incident-layer' })));
  layer.replaceChildren(...incidents);
  const failed = merged(u, data.failedRuns, 3, 1).map((m) => box('mark mark-failed', m, spanText('failed probe', m.spans)));
  const triggers = merged(u, data.triggers.map((t) => ({ from: t, to: t })), 3, 1).map((m) => box('mark mark-trigger', m, spanText('trigger', m.spans)));
  row.style.marginLeft = `${u.bbox.left / uPlot.pxRatio}px`;
  row.style.width = `${u.bbox.width / uPlot.pxRatio}px`;
  row.querySelector('.lane-failed')?.replaceChildren(...failed);
  row.querySelector('.lane-trigger')?.replaceChildren(...triggers);
}

/** The marker row: a lane of failed probes above a lane of triggers, each named at its left. */
export function markerRow(): HTMLElement {
  const lane = (cls: string, name: string): HTMLElement => el('div', { cls: `lane ${cls}`, attrs: { 'data-name': name } });
  return el('div', { cls: 'marker-row', attrs: { 'aria-label': 'failed probes and triggers over time' } }, lane('lane-failed', 'failed'), lane('lane-trigger', 'trigger'));
}
