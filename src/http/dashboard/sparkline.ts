// A row's latency sparkline: a small inline SVG (a polyline of the last latencies, a dot per failed probe),
// drawn from plain numbers with presentation attributes only (the CSP allows no inline styles). Cheap
// enough for a thousand rows: one path and a few circles each, no library.

const NS = 'http://www.w3.org/2000/svg';
/** The sparkline's box in SVG units. */
export const SPARK_BOX = { width: 120, height: 28, pad: 3 } as const;

/** The polyline points of `values` in the box: the newest at the right, scaled to the row's own min..max. */
export function sparkPoints(values: readonly number[], slots = values.length): { x: number; y: number }[] {
  if (values.length === 0) return [];
  const { width, height, pad } = SPARK_BOX;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const step = (width - 2 * pad) / Math.max(1, slots - 1);
  const first = slots - values.length;
  const y = (v: number): number => (hi === lo ? height / 2 : height - pad - ((v - lo) / (hi - lo)) * (height - 2 * pad));
  return values.map((v, i) => ({ x: round(pad + (first + i) * step), y: round(y(v)) }));
}

const round = (v: number): number => Math.round(v * 10) / 10;

/** A new SVG sparkline of `latencies` (oldest first) with the indexes in `failed` marked. */
export function sparkline(latencies: readonly number[], failed: readonly number[], slots: number): SVGSVGElement {
  const { width, height } = SPARK_BOX;
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('class', 'spark');
  svg.setAttribute('aria-hidden', 'true');
  const points = sparkPoints(latencies, slots);
  if (points.length > 1) {
    const line = document.createElementNS(NS, 'polyline');
    line.setAttribute('points', points.map((p) => `${p.x},${p.y}`).join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#1d4ed8');
    line.setAttribute('stroke-width', '1.5');
    svg.append(line);
  }
  for (const i of points.length === 1 ? [0] : failed) {
    const p = points[i];
    if (p === undefined) continue;
    const dot = document.createElementNS(NS, 'circle');
    dot.setAttribute('cx', String(p.x));
    dot.setAttribute('cy', String(p.y));
    dot.setAttribute('r', '2.5');
    dot.setAttribute('fill', failed.includes(i) ? '#c2410c' : '#1d4ed8');
    dot.setAttribute('class', failed.includes(i) ? 'spark-failed' : 'spark-point');
    svg.append(dot);
  }
  return svg;
}
