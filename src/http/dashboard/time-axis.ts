// The chart's time axis: whole-second steps at least, labels as precise as the step (seconds only when the
// step is under a minute), the date when the view spans days, and never the same label twice: a view where
// time-of-day labels would repeat (more than a day) labels each tick with its date.
import uPlot from 'uplot';

const DAY = 86_400;
/** Tick steps in seconds (uPlot's time steps without the sub-second ones, whose labels would repeat). */
export const TIME_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY, 91 * DAY, 182 * DAY, 365 * DAY];

const fmt = (tpl: string): ((d: Date) => string) => uPlot.fmtDate(tpl);
const HMS = fmt('{HH}:{mm}:{ss}');
const HM = fmt('{HH}:{mm}');
const DATE = fmt('{MMM} {D}');
const DATE_YEAR = fmt('{MMM} {D} {YYYY}');
const DATE_HM = fmt('{MMM} {D} {HH}:{mm}');
const DATE_HMS = fmt('{MMM} {D} {HH}:{mm}:{ss}');

/** The labels of ticks `splits` (epoch seconds) `incr` apart: distinct, the first one and each new day with the date under it. */
export function timeLabels(splits: number[], incr: number): string[] {
  const dates = splits.map((s) => new Date(s * 1000));
  if (incr >= DAY) return distinct(dates.map(DATE)) ?? dates.map(DATE_YEAR);
  const short = dates.map(incr >= 60 ? HM : HMS);
  if (distinct(short)) {
    let day = '';
    return short.map((label, i) => {
      const date = DATE(dates[i] as Date);
      const withDate = date !== day ? `${label}\n${date}` : label;
      day = date;
      return withDate;
    });
  }
  return dates.map(incr >= 60 ? DATE_HM : DATE_HMS);
}

function distinct(labels: string[]): string[] | null {
  return new Set(labels).size === labels.length ? labels : null;
}

/** Pixels between ticks: more room for the longer labels of a view that spans days or seconds. */
export function timeSpace(_u: uPlot, _axis: number, min: number, max: number, width: number): number {
  const span = max - min;
  if (span > 1.5 * DAY) return 110;
  return span / Math.max(1, width / 60) < 60 ? 75 : 60; // ticks under a minute apart carry seconds
}
